package org.jexecnet.internal.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Passes a worker's stderr through to the master's, and keeps its last few kilobytes, which are what
 * explains a worker that died before it was ready.
 */
final class StderrTail {
    private static final int KEEP = 4096;

    private final byte[] tail = new byte[KEEP];
    private int size;
    private final Thread pump;

    StderrTail(InputStream stderr, PrintStream to, String name) {
        pump = new Thread(() -> copy(stderr, to), "jexecnet-stderr-" + name);
        pump.setDaemon(true);
        pump.start();
    }

    private void copy(InputStream stderr, PrintStream to) {
        byte[] buffer = new byte[8192];
        try (stderr) {
            for (int n = stderr.read(buffer); n >= 0; n = stderr.read(buffer)) {
                to.write(buffer, 0, n);
                to.flush();
                keep(buffer, n);
            }
        } catch (IOException e) {
            // the worker is gone: its stderr ends here
        }
    }

    private synchronized void keep(byte[] buffer, int n) {
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
     * The last lines the worker wrote to stderr. Called when the worker has died, so its stderr is at
     * its end: the pump gets a few seconds to read it, which only a loaded machine needs.
     */
    String text() {
        try {
            pump.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            return new String(tail, 0, size, StandardCharsets.UTF_8).strip();
        }
    }
}
