package org.jexecnet.internal.transport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Tells whether the program a {@code java=} names is a JVM at all, by asking it {@code -version}:
 * every JVM answers with a line such as {@code openjdk version "17.0.9"}. Asked only after a worker
 * failed to start, so that a Python or a shell named by mistake is said to be "not a JVM" instead of
 * showing whatever it made of a JVM's command line.
 */
final class JvmCheck {
    private JvmCheck() {}

    private static final long WAIT_SECONDS = 20;
    private static final int MAX_ANSWER = 4096;
    /** A shell's "cannot execute" and "not found", and ssh's own failure: the program did not answer at all. */
    private static final Set<Integer> NO_TELLING = Set.of(126, 127, 255);

    /**
     * Why the command is not a JVM, or null when it is one or there is no telling (it cannot be run or
     * found, does not answer in time, or an ssh in front of it fails).
     *
     * @param command the program and its arguments, without {@code -version}; an ssh command ends
     *     with the remote command, which must ask {@code -version} itself
     * @param addVersion whether to add {@code -version} to the command
     */
    static String notAJvm(List<String> command, boolean addVersion) {
        List<String> full = new ArrayList<>(command);
        if (addVersion) {
            full.add("-version");
        }
        Process process;
        try {
            process = new ProcessBuilder(full).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            return null;
        }
        try (InputStream out = process.getInputStream()) {
            process.getOutputStream().close();
            String answer = new String(out.readNBytes(MAX_ANSWER), StandardCharsets.UTF_8);
            if (!process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS) || NO_TELLING.contains(process.exitValue())) {
                return null; // no answer, a shell that could not run it at all, or an ssh that failed: no telling
            }
            if (answer.contains(" version \"")) {
                return null;
            }
            String first = answer.strip().lines().findFirst().orElse("nothing");
            return "it is not a JVM: asked for its version, it answered \"" + first + "\" (exit status " + process.exitValue() + ")";
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            process.destroyForcibly();
        }
    }
}
