package org.jexecnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jexecnet.testing.NoLeftoverWorkers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** execnet's test_gateway.py checklist for popen gateways, against real worker JVMs. */
@ExtendWith(NoLeftoverWorkers.class)
class GatewayTest {
    static final Duration T = Duration.ofSeconds(30);
    static final String OTHER_JDK = System.getProperty("jexecnet.otherJava", "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

    private static Group group;

    @BeforeAll
    static void start() {
        group = new Group();
    }

    @AfterAll
    static void stop() {
        group.terminate(Duration.ofSeconds(5));
    }

    @Test
    void aNewGatewayIsAliveInItsGroupAndIdle() {
        Gateway gw = group.makeGateway("popen//id=fresh");
        assertTrue(gw.isAlive());
        assertTrue(group.contains("fresh"));
        assertTrue(group.contains(gw));
        assertEquals("popen//id=fresh", gw.spec().toString());
        assertEquals(new RemoteStatus(0, 0, "thread"), gw.remoteStatus(T));
        assertTrue(gw.toString().contains("id='fresh'"), gw.toString());
        gw.close();
        assertFalse(gw.isAlive() && group.contains("fresh"));
        assertFalse(group.contains("fresh"));
    }

    @Test
    void remoteStatusCountsRunningExecutionsAndOpenChannels() {
        Gateway gw = group.makeGateway();
        Channel first = gw.remoteExec("channel.send(\"running\"); channel.receive();");
        Channel second = gw.remoteExec("channel.send(\"running\"); channel.receive();");
        assertEquals("running", first.receive(T));
        assertEquals("running", second.receive(T));
        RemoteStatus busy = gw.remoteStatus(T);
        assertEquals(2, busy.numExecuting());
        assertEquals(2, busy.numChannels());
        first.send(1);
        second.send(1);
        first.waitClose(T);
        second.waitClose(T);
        // Status requests leave no channel behind.
        for (int i = 0; i < 3; i++) {
            gw.remoteStatus(T);
        }
        assertEquals(0, gw.remoteStatus(T).numChannels());
    }

    @Test
    void aStatusRightAfterRemoteExecCountsTheExecutionsItAccepted() {
        // Counted when accepted, not when their threads run: the status request follows them on the wire.
        Gateway gw = group.makeGateway();
        for (int i = 0; i < 30; i++) {
            Channel first = gw.remoteExec("channel.receive();");
            Channel second = gw.remoteExec("channel.receive();");
            assertEquals(2, gw.remoteStatus(T).numExecuting(), "run " + i);
            first.send(1);
            second.send(1);
            first.waitClose(T);
            second.waitClose(T);
            assertEquals(0, gw.remoteStatus(T).numExecuting(), "run " + i + ", after both closed");
        }
    }

    @Test
    void remoteInfoDescribesTheWorkerProcess() throws Exception {
        Gateway gw = group.makeGateway();
        RemoteInfo info = gw.remoteInfo(T);
        assertTrue(info.runtime().startsWith("Java " + Runtime.version().feature()), info.runtime());
        assertEquals(Path.of("").toAbsolutePath().toString(), info.cwd(), "the worker starts in the master's directory");
        assertTrue(ProcessHandle.of(info.pid()).isPresent());
        assertTrue(Files.isExecutable(Path.of(info.executable())));
        assertTrue(info.platform().startsWith(System.getProperty("os.name")));
        assertEquals("jexecnet " + System.getProperty("jexecnet.version"), info.library(), "the version the build gave");
        assertEquals(info, gw.remoteInfo(T), "asked once, remembered");
    }

    @Test
    void envChdirAndJvmArgsReachTheWorker(@TempDir Path temp) {
        Path dir = temp.resolve("created/on/demand");
        Gateway gw = group.makeGateway("popen//env:JEXECNET_TEST=hello 1//chdir=" + dir + "//jvmargs=-Dmy.key=v -Xmx64m");
        Channel channel = gw.remoteExec("""
                channel.send(System.getenv("JEXECNET_TEST"));
                channel.send(java.nio.file.Path.of("").toAbsolutePath().toString());
                channel.send(System.getProperty("my.key"));
                channel.send(Runtime.getRuntime().maxMemory() <= 64L * 1024 * 1024);
                """);
        assertEquals("hello 1", channel.receive(T));
        assertEquals(dir.toString(), channel.receive(T));
        assertEquals("v", channel.receive(T));
        assertEquals(true, channel.receive(T));
    }

    @Test
    void niceLowersTheWorkersPriority() throws Exception {
        Gateway gw = group.makeGateway("popen//nice=7");
        long pid = gw.remoteInfo(T).pid();
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        int ownNice = Integer.parseInt(Files.readString(Path.of("/proc/self/stat")).substring(
                Files.readString(Path.of("/proc/self/stat")).lastIndexOf(')') + 2).split(" ")[16]);
        assertEquals(ownNice + 7, Integer.parseInt(fields[16]), "field 19 of /proc/PID/stat is the nice value");
    }

    @Test
    void aWorkerOnTheOtherJdkRunsTheSameCode() {
        Gateway gw = group.makeGateway("popen//java=" + OTHER_JDK);
        Channel channel = gw.remoteExec("channel.send(Runtime.version().feature()); channel.send(channel.receive(Integer.class) + 1);");
        assertEquals(25, (Integer) channel.receive(T));
        channel.send(41);
        assertEquals(42, (Integer) channel.receive(T));
        assertTrue(gw.remoteInfo(T).executable().startsWith("/usr/lib/jvm/temurin-25"), gw.remoteInfo(T).executable());
    }

    @Test
    void aMissingJavaIsReportedClearly() {
        ExecnetException e = assertThrows(ExecnetException.class, () -> group.makeGateway("popen//java=/no/such/jdk/bin/java"));
        assertTrue(e.getMessage().contains("java=/no/such/jdk/bin/java: /no/such/jdk/bin/java does not exist"), e.getMessage());
        ExecnetException command = assertThrows(ExecnetException.class, () -> group.makeGateway("popen//java=no-such-java-command"));
        assertTrue(command.getMessage().contains("exited with status 127 before it was ready"), command.getMessage());
        assertTrue(command.getMessage().contains("not found"), command.getMessage());
        for (Gateway gw : group) {
            assertTrue(gw.isAlive(), "a failed start leaves nothing in the group");
        }
    }

    @Test
    void javaIsSplitAsAShellSplitsItSoAPathMayHaveASpace(@TempDir Path temp) throws Exception {
        Path dir = Files.createDirectories(temp.resolve("my jdk").resolve("bin"));
        Path java = Files.createSymbolicLink(dir.resolve("java"), Path.of(System.getProperty("java.home"), "bin", "java"));
        for (String spec : List.of("popen//java=\"" + java + "\"", "popen//java=" + java.toString().replace(" ", "\\ "),
                "popen//java='" + java + "' -Dx=1")) {
            Gateway gw = group.makeGateway(spec);
            assertEquals(42, (Integer) gw.remoteExec("channel.send(42);").receive(T), spec);
            gw.close();
        }
        ExecnetException missing = assertThrows(ExecnetException.class, () -> group.makeGateway("popen//java=\"" + dir + "/none\""));
        assertTrue(missing.getMessage().contains(dir + "/none does not exist"), missing.getMessage());
    }

    @Test
    void aBadJvmOptionIsReportedWithTheJvmsOwnWords() {
        ExecnetException e = assertThrows(ExecnetException.class, () -> group.makeGateway("popen//jvmargs=-XX:+NoSuchOption"));
        assertTrue(e.getMessage().contains("Unrecognized VM option 'NoSuchOption'"), e.getMessage());
    }

    @Test
    void specsWithoutAnAvailableTypeAreRefused() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> group.makeGateway("id=w9")).getMessage()
                .contains("no gateway type"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> group.makeGateway("hello=3")).getMessage()
                .contains("unknown key 'hello'"));
    }

    @Test
    void compileErrorsNameTheLinesOfTheGivenSource() {
        Gateway gw = group.makeGateway();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> gw.remoteExec("import java.io.File;\n\nint x = 1;\nundefinedCall(x);"));
        assertTrue(e.getMessage().startsWith("remoteExec source does not compile:"), e.getMessage());
        assertTrue(e.getMessage().contains("line 4, column 1: cannot find symbol"), e.getMessage());
        assertTrue(gw.isAlive(), "nothing was sent");
    }

    @Test
    void remoteStackTracesShowTheUsersLines() {
        Gateway gw = group.makeGateway();
        RemoteException e = assertThrows(RemoteException.class, () -> gw.remoteExec("""
                import java.util.concurrent.Callable;
                int a = 1;
                Callable<Integer> divide = () -> a / 0;
                divide.call();
                """).waitClose(T));
        assertTrue(e.remoteTrace().contains(".java:3)"), e.remoteTrace());
        assertTrue(e.remoteTrace().contains(".java:4)"), e.remoteTrace());
        assertFalse(e.remoteTrace().contains("jdk.internal.reflect"), "the worker's reflective frames are trimmed");
    }

    @Test
    void aGatewayRefusesExecutionRequestsFromItsWorker() {
        Gateway gw = group.makeGateway();
        Channel channel = gw.remoteExec("channel.send(channel.gateway().id()); channel.gateway().remoteExec(\"\");");
        assertEquals(gw.id(), channel.receive(T));
        RemoteException e = assertThrows(RemoteException.class, () -> channel.receive(T));
        assertTrue(e.getMessage().contains("only the master ships code"), e.getMessage());
    }

    @Test
    void gatewayReconfigureSetsTheDefaultOfLaterChannelsOnBothSides() {
        Gateway gw = group.makeGateway();
        gw.reconfigure(StringCoercion.SWAPPED);
        Channel channel = gw.remoteExec("channel.send(\"from the worker\"); channel.send(channel.receive() instanceof byte[]);");
        assertTrue(channel.receive(T) instanceof byte[]);
        channel.send("to the worker");
        assertEquals(true, channel.receive(T));
    }

    @Test
    void theMastersStatusAnswersTheWorker() {
        Gateway gw = group.makeGateway();
        Channel channel = gw.remoteExec("channel.send(channel.gateway().remoteStatus(java.time.Duration.ofSeconds(10)).execModel());");
        assertEquals("thread", channel.receive(T));
    }

    @Test
    void compiledSourceIsCachedOnDiskSoASecondRunCompilesNothing(@TempDir Path cache) {
        String source = "channel.send(\"cached \" + " + System.nanoTime() + "L);";
        var first = new org.jexecnet.internal.code.SourceCompiler(cache);
        var compiled = first.compile(source);
        first.compile(source);
        assertEquals(1, first.compilations(), "the second time comes from memory");
        var second = new org.jexecnet.internal.code.SourceCompiler(cache);
        var again = second.compile(source);
        assertEquals(0, second.compilations(), "a new compiler, as in a new run, finds it on disk");
        assertEquals(compiled.classes().keySet(), again.classes().keySet());
        assertTrue(java.util.Arrays.equals(compiled.classes().get(compiled.className()), again.classes().get(again.className())));
    }

    @Test
    void executionsOnOneGatewayRunConcurrently() {
        Gateway gw = group.makeGateway();
        MultiChannel pair = new MultiChannel(List.of(
                gw.remoteExec("channel.send(1); channel.send(channel.receive());"),
                gw.remoteExec("channel.send(2); channel.send(channel.receive());")));
        assertEquals(List.of(1, 2), pair.receiveEach(T));
        pair.sendEach("x");
        assertEquals(List.of("x", "x"), pair.receiveEach(T));
    }
}
