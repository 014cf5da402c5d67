package org.jexecnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jexecnet.internal.gateway.MasterGateway;
import org.jexecnet.internal.server.ServerKey;
import org.jexecnet.internal.server.SocketServer;
import org.jexecnet.testing.NoLeftoverWorkers;
import org.jexecnet.testing.Processes;
import org.jexecnet.testing.Relay;
import org.jexecnet.testing.Slowloris;
import org.jexecnet.testing.SocketServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Socket gateways against a real socket server, a JVM of its own started as a user would
 * ({@code java -cp <jexecnet> org.jexecnet.internal.Main socketserver 127.0.0.1:0}), with the secret in
 * its environment and, on the client side, in a file; and attacks on it: a slowloris flood, relays
 * that rewrite bytes or terminate TLS, weak secrets.
 */
@ExtendWith(NoLeftoverWorkers.class)
class SocketGatewayTest {
    static final Duration T = Duration.ofSeconds(30);
    private static final String SECRET = "correct horse battery staple";

    @TempDir
    static Path dir;
    private static SocketServerProcess server;
    private static String address;
    private static Group group;

    @BeforeAll
    static void start() throws Exception {
        secretFile("secret", SECRET);
        secretFile("wrong", "not the secret, though long enough");
        server = SocketServerProcess.start(Map.of("JEXECNET_SECRET", SECRET), "--key-file", dir.resolve("server-key.pem").toString(),
                "127.0.0.1:0");
        address = server.address();
        group = new Group();
    }

    @AfterAll
    static void stop() throws Exception {
        group.terminate(Duration.ofSeconds(10));
        server.close();
    }

    /** A secret file as it should be: the owner's alone. */
    private static Path secretFile(String name, String secret) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, secret + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private static String spec(String secretFile) {
        return "socket=" + address + "//secret_file=" + dir.resolve(secretFile);
    }

    private static int port() throws Exception {
        return server.port();
    }

    private static void awaitLog(String text) throws InterruptedException {
        server.awaitLog(text);
    }

    @Test
    void theRightSecretGivesAWorkerOfItsOwn() {
        Gateway gw = group.makeGateway(spec("secret") + "//id=sock-ok");
        Channel channel = gw.remoteExec(ch -> ch.send(ch.receive(Integer.class) * 2));
        channel.send(21);
        assertEquals(42, (Integer) channel.receive(T));
        long pid = gw.remoteInfo(T).pid();
        assertEquals(server.process().pid(), ProcessHandle.of(pid).orElseThrow().parent().orElseThrow().pid(), "the server's child");
        gw.close();
    }

    @Test
    void severalClientsAtOnceEachGetTheirOwnWorker() throws Exception {
        List<String> specs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            specs.add(spec("secret") + "//id=sock-many-" + i);
        }
        Group many = new Group(specs); // started in parallel
        try {
            Set<Long> pids = new HashSet<>();
            for (Gateway gw : many) {
                pids.add(gw.remoteExec(ch -> ch.send(ProcessHandle.current().pid())).receive(long.class, T));
            }
            assertEquals(3, pids.size());
        } finally {
            many.terminate(Duration.ofSeconds(10));
        }
    }

    @Test
    void aWrongSecretIsRefusedAndNothingRuns() throws Exception {
        ExecnetException e = assertThrows(ExecnetException.class, () -> group.makeGateway(spec("wrong") + "//id=sock-wrong"));
        assertTrue(e.getMessage().contains("do not share the same secret"), e.getMessage());
        awaitLog("wrong proof: the client has another secret");
        assertFalse(server.log().contains("is gateway sock-wrong"), "no worker was started for it: " + server.log());
        assertFalse(group.contains("sock-wrong"));
    }

    /** Five clients, one after the other, while the flood goes on: how long each took to get its gateway, or why it did not. */
    private static List<String> fiveClients(String name) {
        List<String> took = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long started = System.nanoTime();
            try {
                Gateway gw = group.makeGateway(spec("secret") + "//id=" + name + "-" + i);
                took.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms");
                Channel channel = gw.remoteExec(ch -> ch.send(ch.receive(Integer.class) + 1));
                channel.send(i);
                assertEquals(i + 1, (Integer) channel.receive(T));
                gw.close();
            } catch (ExecnetException e) {
                took.add(e.getMessage());
            }
        }
        long inTime = took.stream().filter(t -> t.matches("[0-9]+ ms") && Long.parseLong(t.split(" ")[0]) <= 5000).count();
        assertTrue(inTime >= 4, "at least 4 of 5 clients get a gateway within 5 s while a flood of slow connections goes on: " + took);
        return took;
    }

    @Test
    void legitimateClientsGetInDuringASlowlorisFloodFromTheirOwnAddress() throws Exception {
        theRightSecretGivesAWorkerOfItsOwn(); // a server, and a client JVM, that have made a TLS connection before
        try (Slowloris flood = new Slowloris("127.0.0.1", port(), 64)) {
            awaitLog("no handshake within PT5S"); // the flood holds every place its address may have, renewed as they expire
            fiveClients("sock-flooded");
            awaitLog("sent no TLS ClientHello"); // each client's arrival made a slow connection make room
        }
        theRightSecretGivesAWorkerOfItsOwn(); // the flood gone, the server serves as before
    }

    @Test
    void aFloodFromOneAddressHoldsNoMoreThanItsShare() throws Exception {
        theRightSecretGivesAWorkerOfItsOwn(); // a server, and a client JVM, that have made a TLS connection before
        try (Slowloris flood = new Slowloris("127.0.0.2", port(), 100)) {
            awaitLog("while 64 connections from 127.0.0.2 were handshaking, and made room for a newer one");
            fiveClients("sock-beside-flood"); // from 127.0.0.1: the flood's own connections made room for each other
        }
    }

    @Test
    void aRelayThatChangesBytesBreaksTheConnectionAndChangesNothing() throws Exception {
        try (Relay relay = Relay.ofBytes(port())) {
            Gateway gw = group.makeGateway("socket=127.0.0.1:" + relay.port() + "//secret_file=" + dir.resolve("secret") + "//id=sock-tampered");
            Channel channel = gw.remoteExec(ch -> {
                for (Object item : ch) {
                    ch.send((Integer) item + 1);
                }
            });
            channel.send(1);
            assertEquals(2, (Integer) channel.receive(T), "through an honest relay");
            relay.startTampering(); // from here on, each chunk from the client has a bit flipped
            channel.send(41);
            ConnectionLostException lost = assertThrows(ConnectionLostException.class, () -> channel.receive(T),
                    "a changed byte never reaches the worker as data");
            assertTrue(lost.getMessage().contains("bad_record_mac"), lost.getMessage());
            awaitLog("gateway sock-tampered of /127.0.0.1:");
            awaitLog("ended: the client's stream failed: Tag mismatch");
        }
        try (Relay relay = Relay.ofBytes(port())) {
            relay.startTampering(); // already in the TLS handshake
            ExecnetException e = assertThrows(ExecnetException.class, () -> group.makeGateway("socket=127.0.0.1:" + relay.port()
                    + "//secret_file=" + dir.resolve("secret") + "//id=sock-tampered-early"));
            assertTrue(e.getMessage().contains("TLS with the server failed"), e.getMessage());
            assertFalse(group.contains("sock-tampered-early"));
        }
    }

    @Test
    void aRelayThatTerminatesTlsWithItsOwnCertificateIsRefusedByBothSides() throws Exception {
        try (Relay relay = Relay.terminatingTls(port())) {
            ExecnetException e = assertThrows(ExecnetException.class, () -> group.makeGateway("socket=127.0.0.1:" + relay.port()
                    + "//secret_file=" + dir.resolve("secret") + "//id=sock-relayed"));
            assertTrue(e.getMessage().contains("something between them terminates TLS with a certificate of its own"), e.getMessage());
            awaitLog("wrong proof: the client has another secret, or something between the two terminates TLS with a certificate of its own");
            assertFalse(server.log().contains("is gateway sock-relayed"), "nothing was run for it: " + server.log());
        }
    }

    @Test
    void theServerKeepsItsTlsKeyInAFileOfItsOwnAndRefusesOneOthersCanRead() throws Exception {
        Path key = dir.resolve("server-key.pem");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertTrue(server.log().contains("made a TLS key for this server in " + key + " (mode 0600)"), server.log());
        String fingerprint = server.log().replaceAll("(?s).*certificate SHA-256 ([0-9a-f]{64}).*", "$1");
        assertEquals(64, fingerprint.length(), server.log());
        try (SocketServerProcess again = SocketServerProcess.start(Map.of("JEXECNET_SECRET", SECRET), "--key-file", key.toString(),
                "127.0.0.1:0")) {
            again.address();
            assertTrue(again.log().contains("certificate SHA-256 " + fingerprint), "the same key after a restart: " + again.log());
        }
        Path shared = dir.resolve("shared-key.pem");
        Files.copy(key, shared);
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rw-r-----"));
        SocketServerProcess refused = SocketServerProcess.start(Map.of("JEXECNET_SECRET", SECRET), "--key-file", shared.toString(),
                "127.0.0.1:0");
        assertEquals(2, refused.awaitExit(T));
        assertTrue(refused.log().contains(shared + " has mode rw-r-----: others may read or change it"), refused.log());
        assertTrue(refused.log().contains("chmod 600 " + shared), refused.log());
    }

    @Test
    void weakSecretsAreRefusedOnBothSidesWithHowToFixThem() throws Exception {
        Path readable = secretFile("readable", "a secret others can read, and long");
        Files.setPosixFilePermissions(readable, PosixFilePermissions.fromString("rw-r--r--"));
        ExecnetException open = assertThrows(ExecnetException.class, () -> group.makeGateway(spec("readable")));
        assertTrue(open.getMessage().contains(readable + " has mode rw-r--r--: others may read or change it"), open.getMessage());
        assertTrue(open.getMessage().contains("chmod 600 " + readable), open.getMessage());
        secretFile("short", "x");
        ExecnetException tooShort = assertThrows(ExecnetException.class, () -> group.makeGateway(spec("short")));
        assertTrue(tooShort.getMessage().contains("holds a secret of 1 bytes"), tooShort.getMessage());
        assertTrue(tooShort.getMessage().contains("use at least 16 random bytes"), tooShort.getMessage());
        assertTrue(tooShort.getMessage().contains("head -c 32 /dev/urandom | base64 > FILE && chmod 600 FILE"), tooShort.getMessage());

        SocketServerProcess shortServer = SocketServerProcess.start(Map.of("JEXECNET_SECRET", "x"), "--key-file",
                dir.resolve("server-key.pem").toString(), "127.0.0.1:0");
        assertEquals(2, shortServer.awaitExit(T));
        assertTrue(shortServer.log().contains("$JEXECNET_SECRET holds a secret of 1 bytes"), shortServer.log());
        SocketServerProcess openServer = SocketServerProcess.start(Map.of(), "--secret-file", readable.toString(), "--key-file",
                dir.resolve("server-key.pem").toString(), "127.0.0.1:0");
        assertEquals(2, openServer.awaitExit(T));
        assertTrue(openServer.log().contains("chmod 600 " + readable), openServer.log());
    }

    @Test
    void noSecretOnTheClientIsRefusedBeforeConnecting() {
        ExecnetException e = assertThrows(ExecnetException.class, () -> group.makeGateway("socket=" + address));
        assertTrue(e.getMessage().contains("needs a shared secret"), e.getMessage());
    }

    @Test
    void garbageBytesAreRefusedAndTheServerServesOthers() throws Exception {
        try (Socket raw = new Socket("127.0.0.1", Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)))) {
            raw.setSoTimeout((int) T.toMillis());
            byte[] junk = new byte[4096];
            new Random(7).nextBytes(junk);
            raw.getOutputStream().write(junk);
            raw.getInputStream().readAllBytes(); // the greeting, then the server closes the connection
        }
        awaitLog("not a jexecnet client: it began with 0x");
        theRightSecretGivesAWorkerOfItsOwn();
    }

    @Test
    void execnetsOwnClientSendingCodeIsRefused() throws Exception {
        // What execnet's socket gateway sends first: a line of Python for the server to run.
        try (Socket raw = new Socket("127.0.0.1", Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)))) {
            raw.setSoTimeout((int) T.toMillis());
            raw.getOutputStream().write("import os; os.system('touch /tmp/owned')\n".getBytes(StandardCharsets.US_ASCII));
            String told = new String(raw.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(told.contains("not a jexecnet client") && told.contains("Python execnet"), told);
        }
        awaitLog("not a jexecnet client: it began with 0x69 ('i')");
    }

    @Test
    void aSlowClientIsCutOffWhileOthersAreServed() throws Exception {
        try (Socket slow = new Socket("127.0.0.1", Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)))) {
            slow.setSoTimeout((int) T.toMillis());
            slow.getOutputStream().write(new byte[] {0x16, 0x03}); // the start of a TLS record, and then nothing
            theRightSecretGivesAWorkerOfItsOwn(); // served while the slow one holds its connection
            long started = System.nanoTime();
            slow.getInputStream().readAllBytes(); // ends when the server's handshake deadline closes it
            assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(20));
        }
        awaitLog("no handshake within PT5S");
    }

    @Test
    void aClosedConnectionEndsItsWorker() throws Exception {
        Gateway gw = group.makeGateway(spec("secret") + "//id=sock-cut");
        long pid = gw.remoteExec(ch -> ch.send(ProcessHandle.current().pid())).receive(long.class, T);
        ProcessHandle worker = ProcessHandle.of(pid).orElseThrow();
        ((MasterGateway) gw).kill(); // the connection closes without a goodbye
        worker.onExit().get(30, TimeUnit.SECONDS);
        assertThrows(ConnectionLostException.class, () -> gw.remoteExec(ch -> ch.send(1)).receive(T));
    }

    @Test
    void aServerReachableFromOtherHostsSaysSo() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (SocketServer open = SocketServer.bind("0.0.0.0:0", SECRET.getBytes(StandardCharsets.UTF_8), ServerKey.ephemeral(),
                new PrintStream(out, true))) {
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("WARNING: listening on"), out.toString(StandardCharsets.UTF_8));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> group.makeGateway("socket=nohostport"));
        assertTrue(e.getMessage().contains("is not host:port"), e.getMessage());
    }

    @Test
    void installviaStartsAOneClientServerOnAGatewaysHost() {
        try (Group hosts = new Group("popen//id=p1")) {
            Gateway s1 = hosts.makeGateway("socket//installvia=p1//id=s1");
            assertEquals(new RemoteStatus(0, 0, "thread"), s1.remoteStatus(T));
            long p1 = hosts.get("p1").remoteExec(ch -> ch.send(ProcessHandle.current().pid())).receive(long.class, T);
            long worker = s1.remoteExec(ch -> ch.send(ProcessHandle.current().pid())).receive(long.class, T);
            assertEquals(p1, ProcessHandle.of(worker).orElseThrow().parent().orElseThrow().pid(), "served from p1's host");
            assertEquals(1, hosts.get("p1").remoteStatus(T).numExecuting(), "the one-client server");
            s1.close();
            // The server's execution ends just after its client: ask until it has, for at most 30 s.
            Processes.awaitIdle(hosts.get("p1"), T, "the one-client server did not end with its client");
        }
    }

    @Test
    void killingTheMasterEndsItsWorkerOnTheServerAndWhatItStarted() throws Exception {
        FaultTest.killMasterAndAwaitWorker(Duration.ofSeconds(15), spec("secret") + "//id=sock-orphan");
    }

    @Test
    void flowControlAndHeartbeatCanBeTurnedOffOverASocket() {
        Gateway gw = group.makeGateway(spec("secret") + "//id=sock-plain//window=0//heartbeat=0");
        assertEquals(1, (Integer) gw.remoteExec(ch -> ch.send(1)).receive(T));
        gw.close();
    }
}
