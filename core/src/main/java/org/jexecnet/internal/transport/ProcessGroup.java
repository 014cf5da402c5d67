package org.jexecnet.internal.transport;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * A worker's process group: what lets termination take along whatever remote code started.
 *
 * <p>A worker JVM is started through {@code setsid}, so it leads a session and a process group of
 * its own, and every process remote code starts inherits that group: its children, and their children
 * when an intermediate shell double-forks and exits ({@code sh -c 'sleep 1000 &'}), which re-parents
 * them to PID 1 and so out of reach of {@link ProcessHandle#descendants()}. Killing the group gets
 * them all. A child meant to outlive its worker leaves the group on purpose, with {@code setsid} of its
 * own; that is the documented way out.
 *
 * <p>The group's members are found in {@code /proc} (Linux): the JDK has no call for process groups, and
 * a group kill from this JVM must spare the JVM itself when it is a member (the worker cleaning up
 * after itself). Elsewhere there is no group to kill and callers fall back to descendants.
 */
public final class ProcessGroup {
    private ProcessGroup() {}

    private static final Path PROC = Path.of("/proc");
    /** Kill passes before giving up on a group that keeps forking: each pass kills every member it saw. */
    private static final int MAX_PASSES = 100;

    /**
     * {@code setsid} from the PATH, or null where there is none (not Linux, or a minimal system): then
     * workers stay in the master's group and only their descendants are killed.
     */
    static final String SETSID = findOnPath("setsid");

    private static String findOnPath(String program) {
        String path = System.getenv("PATH");
        if (path == null || !Files.isDirectory(PROC)) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    /** What {@code /proc/<pid>/stat} says of a process that matters here. */
    private record Stat(char state, long group) {
        boolean zombie() {
            return state == 'Z';
        }
    }

    /** Whether the process leads a process group (its group id is its pid); false when unknown. */
    public static boolean leads(long pid) {
        Stat stat = stat(pid);
        return stat != null && stat.group() == pid;
    }

    /**
     * Kills every process of group {@code pgid} with SIGKILL, except this JVM, and goes on until a look
     * finds no member it has not killed yet: a member forking while it is killed leaves its child for
     * the next look. Does nothing where {@code /proc} is missing.
     */
    public static void kill(long pgid) {
        long self = ProcessHandle.current().pid();
        Set<Long> killed = new HashSet<>();
        for (int pass = 0; pass < MAX_PASSES; pass++) {
            boolean found = false;
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
                for (Path entry : entries) {
                    long pid = Long.parseLong(entry.getFileName().toString());
                    Stat stat = pid == self || killed.contains(pid) ? null : stat(pid);
                    if (stat != null && stat.group() == pgid && !stat.zombie()) {
                        found = true;
                        killed.add(pid);
                        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                    }
                }
            } catch (IOException | NumberFormatException | SecurityException e) {
                return; // no /proc to look in: nothing to do here
            }
            if (!found) {
                return;
            }
        }
    }

    /**
     * A process's state and group, or null when it has gone or cannot be read. The command name may
     * hold spaces, parentheses and any bytes, so fields count from the last {@code ')'}.
     */
    private static Stat stat(long pid) {
        try {
            String stat = new String(Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("stat")), StandardCharsets.ISO_8859_1);
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", 4); // state, ppid, pgrp, the rest
            return new Stat(fields[0].charAt(0), Long.parseLong(fields[2]));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
