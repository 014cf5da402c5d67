package org.jexecnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jexecnet.internal.gateway.MasterGateway;
import org.jexecnet.internal.server.SocketServer;
import org.jexecnet.testing.NoLeftoverWorkers;
import org.jexecnet.testing.Processes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Socket gateways against a real socket server, a JVM of its own started as a user would
 * ({@code java -cp <jexecnet> org.jexecnet.internal.Main socketserver 127.0.0.1:0}), with the secret in
 * its environment and, on the client side, in a file.
 */
@ExtendWith(NoLeftoverWorkers.class)
class SocketGatewayTest {
    static final Duration T = Duration.ofSeconds(30);
    private static final String SECRET = "correct horse battery staple";

    @TempDir
    static Path dir;
    private static Process server;
    private static final StringBuffer log = new StringBuffer();
    private static final List<String> logLines = new ArrayList<>();
    private static String address;
    private static Group group;

    @BeforeAll
    static void start() throws Exception {
        Files.writeString(dir.resolve("secret"), SECRET + "\n");
        Files.writeString(dir.resolve("wrong"), "not the secret\n");
        String classes = Path.of(SocketServer.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djexecnet.socketserver.handshakeMillis=2000", "-cp", classes, "org.jexecnet.internal.Main", "socketserver", "127.0.0.1:0");
        builder.environment().put("JEXECNET_SECRET", SECRET);
        builder.redirectErrorStream(true);
        server = builder.start();
        CompletableFuture<String> listening = new CompletableFuture<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    log.append(line).append('\n');
                    if (line.contains("listening on ")) {
                        listening.complete(line.substring(line.indexOf("listening on ") + 13).strip());
                    }
                }
            } catch (Exception e) {
                // the server ended
            }
            listening.complete(null);
        }, "socketserver-log");
        pump.setDaemon(true);
        pump.start();
        address = listening.get(30, TimeUnit.SECONDS);
        assertTrue(address != null, "the server did not start: " + log);
        group = new Group();
    }

    @AfterAll
    static void stop() throws Exception {
        group.terminate(Duration.ofSeconds(10));
        server.destroy(); // SIGTERM: its shutdown hook kills the workers it still has
        assertTrue(server.waitFor(30, TimeUnit.SECONDS));
    }

    private static String spec(String secretFile) {
        return "socket=" + address + "//secret_file=" + dir.resolve(secretFile);
    }

    private static List<ProcessHandle> serverWorkers() {
        return server.descendants().filter(p -> p.info().arguments()
                .map(args -> List.of(args).contains("org.jexecnet.internal.worker.WorkerMain")).orElse(false)).toList();
    }

    private static void awaitLog(String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!log.toString().contains(text)) {
            assertTrue(System.nanoTime() < deadline, "the server never logged '" + text + "': " + log);
            Thread.onSpinWait();
            Thread.sleep(10); // polling a log the server writes; bounded by the deadline above
        }
    }

    @Test
    void theRightSecretGivesAWorkerOfItsOwn() {
        Gateway gw = group.makeGateway(spec("secret") + "//id=sock-ok");
        Channel channel = gw.remoteExec(ch -> ch.send(ch.receive(Integer.class) * 2));
        channel.send(21);
        assertEquals(42, (Integer) channel.receive(T));
        long pid = gw.remoteInfo(T).pid();
        assertEquals(server.pid(), ProcessHandle.of(pid).orElseThrow().parent().orElseThrow().pid(), "the server's child");
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
        awaitLog("wrong secret; nothing was run");
        assertFalse(log.toString().contains("is gateway sock-wrong"), "no worker was started for it: " + log);
        assertFalse(group.contains("sock-wrong"));
    }

    @Test
    void aFloodOfIdleConnectionsIsCappedAndTheServerRecovers() throws Exception {
        int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
        List<Socket> flood = new ArrayList<>();
        try {
            for (int i = 0; i < SocketServer.MAX_HANDSHAKES + 6; i++) {
                flood.add(new Socket("127.0.0.1", port));
            }
            awaitLog(SocketServer.MAX_HANDSHAKES + " connections are authenticating already; nothing was run");
        } finally {
            for (Socket idle : flood) {
                idle.close();
            }
        }
        theRightSecretGivesAWorkerOfItsOwn(); // the flood gone, the server serves again
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
        awaitLog("not a jexecnet client: it began with");
        theRightSecretGivesAWorkerOfItsOwn();
    }

    @Test
    void execnetsOwnClientSendingCodeIsRefused() throws Exception {
        // What execnet's socket gateway sends first: a line of Python for the server to run.
        try (Socket raw = new Socket("127.0.0.1", Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)))) {
            raw.setSoTimeout((int) T.toMillis());
            raw.getOutputStream().write("import os; os.system('touch /tmp/owned')\n".getBytes(StandardCharsets.US_ASCII));
            raw.getInputStream().readAllBytes();
        }
        awaitLog("not a jexecnet client");
    }

    @Test
    void aSlowClientIsCutOffWhileOthersAreServed() throws Exception {
        try (Socket slow = new Socket("127.0.0.1", Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)))) {
            slow.setSoTimeout((int) T.toMillis());
            slow.getOutputStream().write("AU".getBytes(StandardCharsets.US_ASCII)); // and then nothing
            theRightSecretGivesAWorkerOfItsOwn(); // served while the slow one holds its connection
            long started = System.nanoTime();
            slow.getInputStream().readAllBytes(); // ends when the server's handshake deadline closes it
            assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(20));
        }
        awaitLog("no handshake within PT2S");
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
        try (SocketServer open = SocketServer.bind("0.0.0.0:0", SECRET.getBytes(StandardCharsets.UTF_8), new PrintStream(out, true))) {
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
    void killingTheMasterEndsItsWorkerOnTheServer() throws Exception {
        FaultTest.killMasterAndAwaitWorker(Duration.ofSeconds(15), spec("secret") + "//id=sock-orphan");
    }

    @Test
    void flowControlAndHeartbeatCanBeTurnedOffOverASocket() {
        Gateway gw = group.makeGateway(spec("secret") + "//id=sock-plain//window=0//heartbeat=0");
        assertEquals(1, (Integer) gw.remoteExec(ch -> ch.send(1)).receive(T));
        gw.close();
    }
}
