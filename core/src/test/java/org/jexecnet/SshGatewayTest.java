package org.jexecnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jexecnet.internal.gateway.MasterGateway;
import org.jexecnet.remote.LibraryUser;
import org.jexecnet.remote.Offspring;
import org.jexecnet.testing.NoLeftoverWorkers;
import org.jexecnet.testing.PlantedJar;
import org.jexecnet.testing.Processes;
import org.jexecnet.testing.SshServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** ssh gateways against a real OpenSSH server on a loopback port, with keys made for the test. */
@ExtendWith(NoLeftoverWorkers.class)
class SshGatewayTest {
    static final Duration T = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    private static SshServer sshd;
    private static Group group;

    @BeforeAll
    static void start() throws Exception {
        sshd = SshServer.start(dir);
        group = new Group();
    }

    @AfterAll
    static void stop() {
        group.terminate(Duration.ofSeconds(10));
        sshd.close();
    }

    /** A spec reaching the test's sshd, with a remote cache of the test's own. */
    private static String ssh(String cache) {
        return "ssh=" + sshd.target() + "//env:JEXECNET_CACHE=" + dir.resolve(cache);
    }

    private static List<Path> files(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.list(directory)) {
            return paths.sorted().toList();
        }
    }

    @Test
    void firstContactShipsTheJarAndLaterContactsReuseIt() throws Exception {
        Path boot = dir.resolve("cache-reuse").resolve("boot");
        assertEquals(List.of(), files(boot));
        Gateway first = group.makeGateway(ssh("cache-reuse") + "//id=ssh-first");
        Channel channel = first.remoteExec(ch -> ch.send(ch.receive(Integer.class) * 2));
        channel.send(21);
        assertEquals(42, (Integer) channel.receive(T));
        List<Path> shipped = files(boot);
        assertEquals(1, shipped.size(), "one jar, no half-written file: " + shipped);
        assertTrue(shipped.get(0).getFileName().toString().matches("[0-9a-f]{64}\\.jar"), shipped.toString());
        Object inode = Files.getAttribute(shipped.get(0), "unix:ino");
        RemoteInfo info = first.remoteInfo(T);
        assertNotEquals(ProcessHandle.current().pid(), info.pid());
        assertTrue(ProcessHandle.of(info.pid()).orElseThrow().parent().map(p -> !p.equals(ProcessHandle.current())).orElse(true),
                "the worker is sshd's, not this JVM's child");
        first.close();

        Gateway second = group.makeGateway(ssh("cache-reuse") + "//id=ssh-second");
        Channel again = second.remoteExec(ch -> ch.send(ch.receive(Integer.class) + 1));
        again.send(1);
        assertEquals(2, (Integer) again.receive(T));
        assertEquals(shipped, files(boot), "still the one jar");
        assertEquals(inode, Files.getAttribute(shipped.get(0), "unix:ino"), "the cached jar was not written again");
        second.close();
    }

    @Test
    void aPoisonedBootJarIsRefusedReplacedAndReported() throws Exception {
        group.makeGateway(ssh("cache-poisoned") + "//id=ssh-before").close(); // the jar is cached now
        List<Path> cached = files(dir.resolve("cache-poisoned").resolve("boot"));
        assertEquals(1, cached.size(), cached.toString());
        Path jar = cached.get(0);
        Path marker = dir.resolve("planted-worker-ran");
        Files.write(jar, PlantedJar.of(dir, "org.jexecnet.internal.worker.WorkerMain",
                "public static void main(String[] args) { MARK; }", marker));
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8)); // the remote stderr passes through this JVM's
        try {
            Gateway gw = group.makeGateway(ssh("cache-poisoned") + "//id=ssh-after");
            assertEquals(42, (Integer) gw.remoteExec(ch -> ch.send(42)).receive(T));
            gw.close();
        } finally {
            System.setErr(original);
        }
        String said = stderr.toString(StandardCharsets.UTF_8);
        original.print(said);
        assertFalse(Files.exists(marker), "the planted worker ran");
        assertTrue(said.contains(jar + " does not match its SHA-256: replaced"), said);
        String name = jar.getFileName().toString();
        assertEquals(name.substring(0, name.length() - ".jar".length()),
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(jar))), "the real jar again");
    }

    @Test
    void classesAndJarsOnlyTheMasterHasLoadOnDemandOverSsh() {
        Gateway gw = group.makeGateway(ssh("cache-classes"));
        Channel channel = gw.remoteExec(LibraryUser.class);
        channel.send("jexecnet");
        assertEquals(List.of("tencexej", "Jexecnet", "{1,2}"), channel.receive(T));
        String location = channel.receive(String.class, T);
        assertTrue(location.contains(dir.resolve("cache-classes").resolve("jars").toString()), location);
        assertEquals(1, ((MasterGateway) gw).classRequests());
        gw.close();
    }

    @Test
    void aWorkerOnTheOtherJdkThroughSsh() {
        Gateway gw = group.makeGateway(ssh("cache-jdk") + "//java=" + GatewayTest.OTHER_JDK + "//jvmargs=-Dfrom.master=yes");
        assertTrue(gw.remoteInfo(T).runtime().contains("25"), gw.remoteInfo(T).runtime());
        Channel channel = gw.remoteExec(ch -> ch.send(System.getProperty("from.master") + " " + Runtime.version().feature()));
        assertEquals("yes 25", channel.receive(T));
        gw.close();
    }

    @Test
    void envChdirAndNiceApplyOnTheRemoteSide() {
        Path work = dir.resolve("remote-work");
        // CDPATH would make a plain cd print where it went, into the protocol; C is a name a script might use itself.
        Gateway gw = group.makeGateway(ssh("cache-env") + "//env:GREETING=it's \"$HOME\" `id` \\ here//env:C=mine//env:CDPATH=/tmp"
                + "//chdir=" + work + "//nice=3");
        Channel channel = gw.remoteExec(ch -> ch.send(List.of(System.getenv("GREETING"), System.getenv("C"), System.getProperty("user.dir"),
                new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/self/stat"))).split(" ")[18])));
        assertEquals(List.of("it's \"$HOME\" `id` \\ here", "mine", work.toString(), "3"), channel.receive(T));
        gw.close();
    }

    @Test
    void aNoisyLoginShellDoesNotDisturbTheProtocol() {
        // Only the login shell that runs the bootstrap speaks, not the shells its .bashrc starts.
        Path spoke = dir.resolve("noise-was-made");
        Path noisy = sshd.write("noisy.sh", "if [ -z \"$JX_NOISY\" ] && [ \"$SHLVL\" = 1 ]; then export JX_NOISY=1; touch " + spoke
                + "; echo 'Welcome to a chatty host'; printf 'JEXECNET-BOO\\001\\000binary junk\\n'; fi\n");
        String spec = "ssh=-o SetEnv=BASH_ENV=" + noisy + " " + sshd.target() + "//env:JEXECNET_CACHE=" + dir.resolve("cache-noisy");
        Gateway gw = group.makeGateway(spec);
        Channel channel = gw.remoteExec(ch -> ch.send(ch.receive()));
        channel.send("clean");
        assertEquals("clean", channel.receive(T));
        assertTrue(Files.exists(spoke), "the login shell did make noise");
        gw.close();
    }

    @Test
    void aKeyTheServerRefusesGivesSshsOwnMessage() {
        String spec = "ssh=" + sshd.options("stranger_ed25519") + " " + System.getProperty("user.name") + "@127.0.0.1//id=refused";
        ExecnetException e = assertThrows(ExecnetException.class, () -> group.makeGateway(spec));
        assertTrue(e.getMessage().contains("Permission denied (publickey"), e.getMessage());
        assertTrue(e.getMessage().contains("status 255"), e.getMessage());
        assertFalse(group.contains("refused"));
    }

    @Test
    void sshsNoticeAboutKnownHostsDoesNotHideTheLineThatSaysWhatFailed() {
        String chatty = sshd.options("stranger_ed25519").replace(" -o LogLevel=ERROR", ""); // ssh says "Warning: Permanently added ..."
        ExecnetException e = assertThrows(ExecnetException.class,
                () -> group.makeGateway("ssh=" + chatty + " " + System.getProperty("user.name") + "@127.0.0.1//id=chatty"));
        assertTrue(e.getMessage().contains("its stderr: " + System.getProperty("user.name") + "@127.0.0.1: Permission denied (publickey"),
                e.getMessage());
        assertFalse(e.getMessage().contains("Permanently added"), e.getMessage());
    }

    @Test
    void aJavaThereThatIsNotAJvmIsSaidToBeNone() {
        ExecnetException e = assertThrows(ExecnetException.class,
                () -> group.makeGateway(ssh("cache-python-as-java") + "//java=/usr/bin/python3"));
        assertTrue(e.getMessage().startsWith("java=/usr/bin/python3 on that host: it is not a JVM"), e.getMessage());
        assertEquals(List.of(), sshd.workers());
    }

    @Test
    void anUnknownHostGivesSshsOwnMessage() {
        String spec = "ssh=" + sshd.options() + " nobody@no-such-host.invalid";
        ExecnetException e = assertThrows(ExecnetException.class, () -> group.makeGateway(spec));
        assertTrue(e.getMessage().contains("no-such-host.invalid"), e.getMessage());
        assertTrue(e.getMessage().contains("Could not resolve hostname") || e.getMessage().contains("Name or service not known"),
                e.getMessage());
    }

    @Test
    void aMissingRemoteJvmIsNamed() {
        ExecnetException e = assertThrows(ExecnetException.class,
                () -> group.makeGateway(ssh("cache-nojvm") + "//java=/opt/no-jdk/bin/java"));
        assertTrue(e.getMessage().contains("no JVM there"), e.getMessage());
        assertTrue(e.getMessage().contains("/opt/no-jdk/bin/java"), e.getMessage());
        assertEquals(List.of(), sshd.workers());
    }

    @Test
    void aMissingPythonAndAJavaThatCannotRunAreNamedAsSuch() throws IOException {
        ExecnetException python = assertThrows(ExecnetException.class,
                () -> group.makeGateway("ssh=" + sshd.target() + "//python=/opt/no-python/bin/python3"));
        assertTrue(python.getMessage().contains("no Python there: python=/opt/no-python/bin/python3"), python.getMessage());
        Path notAProgram = Files.writeString(dir.resolve("not-a-jvm"), "just text\n");
        ExecnetException java = assertThrows(ExecnetException.class, () -> group.makeGateway(ssh("cache-badjava") + "//java=" + notAProgram));
        assertTrue(java.getMessage().contains("is there but cannot be run"), java.getMessage());
    }

    @Test
    void aSpecWithoutHostIsRefusedBeforeAnythingStarts() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> group.makeGateway("ssh=  "));
        assertTrue(e.getMessage().contains("ssh needs a value, as in ssh=user@host"), e.getMessage());
        IllegalArgumentException env = assertThrows(IllegalArgumentException.class,
                () -> group.makeGateway("ssh=" + sshd.target() + "//env:NOT-A-NAME=1"));
        assertTrue(env.getMessage().contains("env:NOT-A-NAME"), env.getMessage());
    }

    @Test
    void killingTheSshClientLeavesNoRemoteWorker() throws Exception {
        Gateway gw = group.makeGateway(ssh("cache-kill") + "//id=ssh-killed");
        Channel channel = gw.remoteExec(ch -> ch.send(ProcessHandle.current().pid()));
        long workerPid = channel.receive(long.class, T);
        ProcessHandle worker = ProcessHandle.of(workerPid).orElseThrow();
        ((MasterGateway) gw).kill(); // SIGKILL to the local ssh client: the remote side sees its input end
        worker.onExit().get(30, TimeUnit.SECONDS);
        assertFalse(worker.isAlive());
        assertThrows(ConnectionLostException.class, () -> gw.remoteExec(ch -> ch.send(1)).receive(T));
    }

    @Test
    void whatRemoteCodeStartedEndsWithItsRemoteWorkerAndAKilledWorkerLeavesNoDirectory() throws Exception {
        Gateway closed = group.makeGateway(ssh("cache-offspring") + "//id=ssh-closed");
        List<?> ofClosed = closed.remoteExec(Offspring.class).receive(List.class, T);
        closed.close();
        TerminationTest.awaitGone(pids(ofClosed), "close of an ssh gateway");

        Gateway killed = group.makeGateway(ssh("cache-offspring") + "//id=ssh-killed9");
        List<?> ofKilled = killed.remoteExec(Offspring.class).receive(List.class, T);
        Path files = Path.of((String) ofKilled.get(2));
        assertTrue(Files.isDirectory(files), files.toString());
        Processes.signal("KILL", killed.remoteInfo(T).pid()); // on the remote host: the bootstrap's shell cleans up
        TerminationTest.awaitGone(pids(ofKilled), "kill -9 of an ssh gateway's worker");
        Processes.awaitDeleted(files, Duration.ofSeconds(10), "the killed worker's directory");
        assertThrows(ConnectionLostException.class, () -> killed.remoteExec(ch -> ch.send(1)).receive(T));
    }

    private static List<Long> pids(List<?> offspring) {
        return List.of(((Number) offspring.get(0)).longValue(), ((Number) offspring.get(1)).longValue());
    }

    @Test
    void aPythonWorkerOverSsh() {
        Gateway py = group.makeGateway("ssh=" + sshd.target() + "//python=/usr/bin/python3");
        Channel channel = py.remoteExec("import os\nchannel.send((channel.receive() * 2, os.getppid() != 0))");
        channel.send(21);
        assertEquals(Tuple.of(42, true), channel.receive(T));
        assertTrue(py.remoteInfo(T).runtime().startsWith("Python 3"), py.remoteInfo(T).runtime());
        py.close();
    }

    @Test
    void aPopenGatewayViaAnSshGateway() {
        try (Group hops = new Group()) {
            Gateway hop = hops.makeGateway(ssh("cache-via") + "//id=hop");
            Gateway inner = hops.makeGateway("popen//id=beyond//via=hop");
            long hopPid = hop.remoteExec(ch -> ch.send(ProcessHandle.current().pid())).receive(long.class, T);
            long innerPid = inner.remoteExec(ch -> ch.send(ProcessHandle.current().pid())).receive(long.class, T);
            assertEquals(hopPid, ProcessHandle.of(innerPid).orElseThrow().parent().orElseThrow().pid());
            Channel channel = inner.remoteExec(LibraryUser.class); // its classes travel two hops, on demand
            channel.send("via");
            assertEquals(List.of("aiv", "Via", "{1,2}"), channel.receive(T));
        }
    }

    @Test
    void rsyncToATargetBehindAnSshGateway() throws IOException {
        Path source = Files.createDirectories(dir.resolve("rsync-source/sub"));
        Files.writeString(source.resolve("file"), "over ssh");
        Files.write(source.getParent().resolve("big.bin"), new byte[3 << 20]);
        Gateway gw = group.makeGateway(ssh("cache-rsync"));
        Path dest = dir.resolve("rsync-dest");
        new RSync(source.getParent()).addTarget(gw, dest.toString()).send();
        assertEquals("over ssh", Files.readString(dest.resolve("sub/file")));
        assertEquals(3 << 20, Files.size(dest.resolve("big.bin")));
        gw.close();
    }

    @Test
    void killingTheMasterEndsItsRemoteWorkerAndWhatItStarted() throws Exception {
        FaultTest.killMasterAndAwaitWorker(Duration.ofSeconds(15), ssh("cache-orphan") + "//id=ssh-orphan");
        assertEquals(List.of(), sshd.workers());
    }
}
