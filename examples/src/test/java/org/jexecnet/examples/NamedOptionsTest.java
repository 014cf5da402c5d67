package org.jexecnet.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.jexecnet.Channel;
import org.jexecnet.Execnet;
import org.jexecnet.Gateway;
import org.jexecnet.Group;
import org.jexecnet.RSync;
import org.jexecnet.StringCoercion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Options are named values, never bare booleans: execnet's string coercion and RSync's deletes. */
@Timeout(120)
class NamedOptionsTest {
    private static final Duration T = Duration.ofSeconds(30);

    @Test
    void stringCoercionIsNamedForGatewaysChannelsAndLoads() {
        try (Group group = new Group("popen//id=strings")) {
            Gateway gw = group.get(0);
            gw.reconfigure(StringCoercion.PY3STR_AS_PY2STR);
            Channel channel = gw.remoteExec("channel.send(\"from the worker\"); channel.send(channel.receive() instanceof byte[]);");
            assertArrayEquals("from the worker".getBytes(StandardCharsets.UTF_8), channel.receive(byte[].class, T));
            channel.send("to the worker");
            assertEquals(true, channel.receive(T));

            Channel echo = gw.remoteExec("channel.send(channel.receive());");
            echo.reconfigure(StringCoercion.PY2STR_AS_PY3STR);
            echo.send("text");
            assertEquals("text", echo.receive(String.class, T));
        }
        byte[] py2str = {'M', 0, 0, 0, 1, (byte) 0xe9, 'Q'}; // a Python 2 str, behind the version byte below
        byte[] data = new byte[py2str.length + 1];
        data[0] = 1;
        System.arraycopy(py2str, 0, data, 1, py2str.length);
        assertArrayEquals(new byte[] {(byte) 0xe9}, (byte[]) Execnet.loads(data));
        assertEquals("\u00e9", Execnet.loads(data, StringCoercion.PY2STR_AS_PY3STR));
    }

    @Test
    void rsyncTargetsNameWhatBecomesOfExtrasAndTheCallbackIsOptional(@TempDir Path dir) throws IOException {
        Path source = Files.createDirectories(dir.resolve("src"));
        Files.writeString(source.resolve("kept.txt"), "kept");
        Path keeping = Files.createDirectories(dir.resolve("keeping"));
        Path deleting = Files.createDirectories(dir.resolve("deleting"));
        Path calling = Files.createDirectories(dir.resolve("calling"));
        for (Path dest : new Path[] {keeping, deleting, calling}) {
            Files.writeString(dest.resolve("extra.txt"), "not in the source");
        }
        AtomicInteger finished = new AtomicInteger();
        try (Group group = new Group("popen//id=rsync")) {
            Gateway gw = group.get(0);
            RSync rsync = new RSync(source)
                    .addTarget(gw, keeping.toString())
                    .addTarget(gw, deleting.toString(), RSync.Extras.DELETE)
                    .addTarget(gw, calling.toString(), RSync.Extras.KEEP, finished::incrementAndGet);
            assertTrue(rsync.hasTargets());
            rsync.send();
            assertFalse(rsync.hasTargets(), "a send uses its targets up");
            new RSync(source).addTarget(gw, deleting.toString(), RSync.Extras.DELETE, null).send(); // null: nothing to call
        }
        assertEquals(1, finished.get());
        assertTrue(Files.exists(keeping.resolve("extra.txt")));
        assertFalse(Files.exists(deleting.resolve("extra.txt")));
        assertTrue(Files.exists(calling.resolve("extra.txt")));
        assertEquals("kept", Files.readString(deleting.resolve("kept.txt")));
        IllegalStateException none = assertThrows(IllegalStateException.class, () -> new RSync(source).send());
        assertTrue(none.getMessage().contains("has no targets: add one with addTarget"), none.getMessage());
    }
}
