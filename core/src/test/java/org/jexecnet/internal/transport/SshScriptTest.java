package org.jexecnet.internal.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.jexecnet.ExecModel;
import org.jexecnet.XSpec;
import org.junit.jupiter.api.Test;

/** The ssh bootstrap's command line, script and marker, which the ssh tests then run for real. */
class SshScriptTest {

    @Test
    void vagrantSshPutsTheSameOptionsAfterTheDoubleDash() {
        assertEquals(List.of("vagrant", "ssh", "default", "--", "-o", "ServerAliveInterval=3", "-o", "ServerAliveCountMax=3", "CMD"),
                Ssh.command(XSpec.parse("vagrant_ssh=default//id=v"), "CMD"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> XSpec.parse("vagrant_ssh= "));
        assertTrue(e.getMessage().contains("vagrant_ssh needs a value, as in vagrant_ssh=default"), e.getMessage());
    }

    @Test
    void sshOptionsComeBeforeTheHostAndAnExplicitKeepAliveWins() {
        assertEquals(List.of("ssh", "-F", "/etc/alt", "-o", "ServerAliveInterval=3", "-o", "ServerAliveCountMax=3", "-p", "2222", "me@h", "CMD"),
                Ssh.command(XSpec.parse("ssh=-p 2222  me@h//ssh_config=/etc/alt"), "CMD"));
        assertEquals(List.of("ssh", "-o", "ServerAliveInterval=1", "h", "CMD"),
                Ssh.command(XSpec.parse("ssh=-o ServerAliveInterval=1 h"), "CMD"));
    }

    @Test
    void theRemoteCommandStaysFarBelowWhatACshLoginShellTakes() {
        OwnJar jar = OwnJar.get();
        String script = Ssh.jvmScript(XSpec.parse("ssh=h//id=gw1"), "gw1", ExecModel.THREAD, jar);
        String command = "sh -c " + Ssh.quote(script);
        // The script is one word for the login shell, and BSD csh refuses words of about 10 KB ("Word too long").
        assertTrue(command.length() < 2048, command.length() + " characters: " + command);
        assertTrue(script.contains(jar.sha256()), script);
    }

    @Test
    void quotingSurvivesEveryCharacterAShellCares() throws Exception {
        String nasty = "it's \"$HOME\" `id` $(id) \\ ; & | * ? \n end";
        Process echo = new ProcessBuilder("sh", "-c", "printf %s " + Ssh.quote(nasty)).start();
        assertEquals(nasty, new String(echo.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void theMarkerIsFoundAfterNoiseAndNothingAfterItIsRead() throws IOException {
        byte[] stream = "Welcome!\nJEXECNET-BOOJEXECNET-BOOT-1\nhave\n".getBytes(StandardCharsets.US_ASCII);
        ByteArrayInputStream in = new ByteArrayInputStream(stream);
        assertTrue(Ssh.skipToMarker(in));
        assertArrayEquals("have\n".getBytes(StandardCharsets.US_ASCII), in.readAllBytes());
        assertFalse(Ssh.skipToMarker(new ByteArrayInputStream(new byte[0])));
        IOException e = assertThrows(IOException.class,
                () -> Ssh.skipToMarker(new ByteArrayInputStream("sh: 1: java: not found\n".getBytes(StandardCharsets.US_ASCII))));
        assertTrue(e.getMessage().contains("java: not found"), e.getMessage());
        IOException flood = assertThrows(IOException.class, () -> Ssh.skipToMarker(new ByteArrayInputStream(new byte[1 << 20])));
        assertTrue(flood.getMessage().contains("more than 65536 bytes"), flood.getMessage());
    }

    @Test
    void theShippedJarIsTheSameBytesEveryTimeAndHoldsOnlyJexecnet() throws Exception {
        Path classes = Path.of(Popen.ownClassPath());
        OwnJar once = OwnJar.build(classes);
        OwnJar twice = OwnJar.build(classes);
        assertEquals(once.sha256(), twice.sha256());
        assertTrue(once.bytes().length < 1024 * 1024, once.bytes().length + " bytes");
        try (java.util.zip.ZipInputStream zip = new java.util.zip.ZipInputStream(new ByteArrayInputStream(once.bytes()))) {
            for (var entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                assertTrue(entry.getName().startsWith("org/jexecnet/") || entry.getName().equals("module-info.class"), entry.getName());
            }
        }
    }
}
