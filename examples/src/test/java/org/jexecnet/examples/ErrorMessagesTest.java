package org.jexecnet.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jexecnet.ChannelTimeoutException;
import org.jexecnet.ExecnetException;
import org.jexecnet.Gateway;
import org.jexecnet.Group;
import org.jexecnet.RSync;
import org.jexecnet.RemoteException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Errors a user runs into say what is wrong, in the user's terms, not the library's. */
@Timeout(120)
class ErrorMessagesTest {
    private static final Duration T = Duration.ofSeconds(30);
    private static final String PYTHON = System.getProperty("execnet.python", "/usr/bin/python3");

    @Test
    void aJavaThatIsNotAJvmIsSaidToBeNone() {
        try (Group group = new Group()) {
            ExecnetException e = assertThrows(ExecnetException.class, () -> group.makeGateway("popen//java=" + PYTHON));
            assertTrue(e.getMessage().startsWith("java=" + PYTHON + ": it is not a JVM: asked for its version, it answered"),
                    e.getMessage());
            assertFalse(e.getMessage().contains("NameError"), e.getMessage());
        }
    }

    @Test
    void aChdirThroughAFileSaysTheFileIsInTheWay(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("plain"), "");
        try (Group group = new Group()) {
            for (Path chdir : new Path[] {file, file.resolve("below")}) {
                ExecnetException e = assertThrows(ExecnetException.class, () -> group.makeGateway("popen//chdir=" + chdir));
                assertEquals("chdir=" + chdir + ": " + file + " is a file, not a directory; name a directory (it is created when"
                        + " missing)", e.getMessage());
            }
        }
    }

    @Test
    void rsyncToAFileSaysItIsAFile(@TempDir Path dir) throws IOException {
        Path source = Files.createDirectories(dir.resolve("src"));
        Files.writeString(source.resolve("a.txt"), "a");
        Path file = Files.writeString(dir.resolve("a-file"), "mine");
        try (Group group = new Group("popen//id=rsync-file")) {
            RemoteException e = assertThrows(RemoteException.class, () -> new RSync(source).addTarget(group.get(0), file.toString()).send());
            assertTrue(e.remoteTrace().startsWith("java.io.IOException: the destination " + file + " is a file, not a directory"),
                    e.remoteTrace());
        }
        assertEquals("mine", Files.readString(file), "the file is left alone");
    }

    @Test
    void aStatusThatDoesNotComeNamesTheGatewayNotAnInternalChannel() throws Exception {
        try (Group group = new Group("popen//id=status")) {
            Gateway gw = group.get(0);
            long pid = gw.remoteInfo(T).pid();
            signal("STOP", pid); // a stopped worker answers nothing: the wait surely ends by its timeout
            try {
                awaitStopped(pid);
                ChannelTimeoutException e = assertThrows(ChannelTimeoutException.class, () -> gw.remoteStatus(Duration.ZERO));
                assertEquals("gateway status sent no status within PT0S", e.getMessage());
            } finally {
                signal("CONT", pid);
            }
            assertEquals("thread", gw.remoteStatus(T).execModel());
        }
    }

    /** Waits until every thread of the process has stopped: a signal takes effect on each thread in its own time. */
    private static void awaitStopped(long pid) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!allStopped(Path.of("/proc/" + pid + "/task"))) {
            assertTrue(System.nanoTime() < deadline, "process " + pid + " did not stop");
            Thread.yield();
        }
    }

    private static boolean allStopped(Path tasks) throws IOException {
        try (var threads = Files.list(tasks)) {
            for (Path thread : threads.toList()) {
                String stat;
                try {
                    stat = Files.readString(thread.resolve("stat"));
                } catch (IOException gone) {
                    continue; // a thread that ended meanwhile
                }
                char state = stat.charAt(stat.lastIndexOf(')') + 2);
                if (state != 'T' && state != 't') {
                    return false;
                }
            }
        }
        return true;
    }

    private static void signal(String name, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(pid)).inheritIO().start();
        assertTrue(kill.waitFor(30, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + name + " " + pid);
    }

    @Test
    void aRemoteCauseIsTrimmedOfTheWorkersFramesAsTheTopIs() {
        try (Group group = new Group("popen//id=causes")) {
            RemoteException e = assertThrows(RemoteException.class, () -> group.get(0).remoteExec("""
                    try {
                        Integer.parseInt("x");
                    } catch (NumberFormatException e) {
                        throw new IllegalStateException("bad", e);
                    }
                    """).waitClose(T));
            String trace = e.remoteTrace();
            assertTrue(trace.contains("Caused by: java.lang.NumberFormatException"), trace);
            assertFalse(trace.contains("org.jexecnet.internal"), "no frames of jexecnet's own: " + trace);
            assertFalse(trace.contains("reflect"), trace);
        }
    }

    @Test
    void remoteOutputReachesStderrALineAtATimePrefixedWithTheGatewayId() throws Exception {
        CountDownLatch printed = new CountDownLatch(1);
        StringBuffer seen = new StringBuffer();
        PrintStream capture = new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                seen.append((char) b);
                if (b == '\n' && seen.indexOf("[out1] two\n") >= 0) {
                    printed.countDown();
                }
            }
        }, true, StandardCharsets.UTF_8);
        PrintStream stderr = System.err;
        System.setErr(capture); // a gateway passes its worker's output to the System.err it finds when it starts
        try (Group group = new Group("popen//id=out1")) {
            System.setErr(stderr);
            group.get(0).remoteExec("System.out.print(\"one\\ntw\"); System.out.flush(); System.out.println(\"o\");").waitClose(T);
            assertTrue(printed.await(30, TimeUnit.SECONDS), seen.toString());
        } finally {
            System.setErr(stderr);
        }
        assertTrue(seen.toString().contains("[out1] one\n[out1] two\n"), seen.toString());
    }
}
