package org.jexecnet.internal.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Passes a worker's stderr (where its {@code System.out} goes too) through to the master's, each line
 * prefixed with the gateway's id as pytest-xdist does ({@code [gw0] ...}), so that the output of
 * several workers can be told apart. Keeps the last few kilobytes, which are what explains a worker
 * that died before it was ready.
 *
 * <p>Until the worker is ready its output is held back: when the start fails, the exception carries
 * it, and printing it as well would show it twice; when the start succeeds, {@link #release()} prints
 * what was held.
 */
final class StderrTail {
    private static final int KEEP = 4096;
    /** More than this before the worker is ready is not a start-up message: it goes through at once. */
    private static final int MAX_HELD = 64 * 1024;

    private final byte[] tail = new byte[KEEP];
    private int size;
    private final Thread pump;
    private final PrintStream to;
    private byte[] prefix; // guarded by this
    // guarded by this
    private ByteArrayOutputStream held = new ByteArrayOutputStream();
    private boolean atLineStart = true;

    StderrTail(InputStream stderr, PrintStream to, String name) {
        this.to = to;
        this.prefix = prefixOf(name);
        pump = new Thread(() -> copy(stderr), "jexecnet-stderr-" + name);
        pump.setDaemon(true);
        pump.start();
    }

    private static byte[] prefixOf(String name) {
        return ("[" + name + "] ").getBytes(StandardCharsets.UTF_8);
    }

    /** Prefixes the lines from now on with another name: a spare's, once it knows the gateway it serves. */
    synchronized void rename(String name) {
        prefix = prefixOf(name);
    }

    private void copy(InputStream stderr) {
        byte[] buffer = new byte[8192];
        try (stderr) {
            for (int n = stderr.read(buffer); n >= 0; n = stderr.read(buffer)) {
                pass(buffer, n);
            }
        } catch (IOException e) {
            // the worker is gone: its stderr ends here
        }
    }

    private synchronized void pass(byte[] buffer, int n) {
        keep(buffer, n);
        if (held == null) {
            writePrefixed(buffer, n);
        } else {
            held.write(buffer, 0, n);
            if (held.size() > MAX_HELD) {
                release();
            }
        }
    }

    /** The worker is ready: what it printed so far goes out, and from now on everything at once. */
    void release() {
        release(UnaryOperator.identity());
    }

    /**
     * As {@link #release()}, but what was held goes out as {@code edit} makes it: the JVM's complaints
     * about a class-data archive, which are jexecnet's business, are taken out.
     */
    synchronized void release(UnaryOperator<String> edit) {
        if (held != null) {
            byte[] bytes = edit.apply(held.toString(StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            held = null;
            writePrefixed(bytes, bytes.length);
        }
    }

    /** What the worker printed while it started and is held back still; empty once released. */
    synchronized String held() {
        return held == null ? "" : held.toString(StandardCharsets.UTF_8);
    }

    private void writePrefixed(byte[] bytes, int n) {
        int start = 0;
        for (int i = 0; i < n; i++) {
            if (atLineStart) {
                to.write(prefix, 0, prefix.length);
                atLineStart = false;
            }
            if (bytes[i] == '\n') {
                to.write(bytes, start, i + 1 - start);
                start = i + 1;
                atLineStart = true;
            }
        }
        to.write(bytes, start, n - start);
        to.flush();
    }

    private void keep(byte[] buffer, int n) {
        if (n >= KEEP) {
            System.arraycopy(buffer, n - KEEP, tail, 0, KEEP);
            size = KEEP;
            return;
        }
        int drop = Math.max(0, size + n - KEEP);
        System.arraycopy(tail, drop, tail, 0, size - drop);
        size -= drop;
        System.arraycopy(buffer, 0, tail, size, n);
        size += n;
    }

    /**
     * The last lines the worker wrote to stderr, without ssh's notices about known hosts, which say
     * nothing about a failure and would hide the line that does. Called when the worker has died, so
     * its stderr is at its end: the pump gets a few seconds to read it, which only a loaded machine needs.
     */
    String text() {
        try {
            pump.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String text;
        synchronized (this) {
            text = new String(tail, 0, size, StandardCharsets.UTF_8);
        }
        return text.lines().filter(line -> !line.startsWith("Warning: Permanently added")).collect(Collectors.joining("\n")).strip();
    }
}
