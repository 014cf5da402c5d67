package org.jexecnet.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Python side of the benchmarks, {@code bench/python} of this repository, and the probes of the machine's
 * limits, {@code bench/limits}: found from the working directory, the repository's root, as {@code bench/run-*.sh}
 * run them. The system property {@code execnet.python} names the Python that has execnet (default
 * {@code /usr/bin/python3}).
 */
final class ReferenceScripts {
    private ReferenceScripts() {}

    /** The Python that has execnet. */
    static String python() {
        return System.getProperty("execnet.python", "/usr/bin/python3");
    }

    /** A script of {@code bench/python}. */
    static Path python(String script) {
        return existing(Path.of("bench", "python", script));
    }

    /** A file of {@code bench/limits}. */
    static Path limits(String file) {
        return existing(Path.of("bench", "limits", file));
    }

    private static Path existing(Path relative) {
        Path path = relative.toAbsolutePath().normalize();
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(path + " not found: run the benchmarks from the repository's root, as bench/run-*.sh do");
        }
        return path;
    }

    /**
     * The command that runs a script of {@code bench/python} with the Python that has execnet. Python writes no
     * {@code __pycache__} into the checkout.
     */
    static ProcessBuilder command(String script, String... args) {
        List<String> command = new ArrayList<>(List.of(python(), python(script).toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        return builder;
    }

    /**
     * Runs a script to its end, bounded in time, its output going through a file (a pipe would need a reader
     * thread to honour the bound).
     *
     * @return its output lines
     * @throws IllegalStateException when it fails or overruns the bound; its descendants are killed then too
     */
    static List<String> run(ProcessBuilder builder, long timeoutSeconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile("jexecnet-bench", ".log");
        try {
            Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean finished = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!finished) {
                List<ProcessHandle> descendants = process.descendants().toList();
                process.destroyForcibly();
                descendants.forEach(ProcessHandle::destroyForcibly);
                process.waitFor(10, TimeUnit.SECONDS);
            }
            List<String> output = Files.readAllLines(log, StandardCharsets.UTF_8);
            String command = String.join(" ", builder.command());
            if (!finished) {
                throw new IllegalStateException(command + " did not finish within " + timeoutSeconds + " s: " + output);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(command + " exited with status " + process.exitValue() + ": " + output);
            }
            return output;
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
