package org.jexecnet.internal.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.jexecnet.Channel;
import org.jexecnet.ChannelClosedException;
import org.jexecnet.ChannelTimeoutException;
import org.jexecnet.ExecnetException;
import org.jexecnet.RemoteException;

/**
 * The master's end of a {@code via=} gateway: the worker runs on the via gateway's host, started there
 * by {@link ViaRelay}, and its protocol bytes travel as {@code byte[]} items on a channel of the via
 * gateway. Chunks keep the sizes the protocol's own buffers give them (up to 64 KiB), so a frame costs
 * one extra header, not one message per byte.
 *
 * <p>Items this side sends besides bytes: {@code "eof"} when the protocol's output closes. Closing the
 * channel has the relay kill the worker at once.
 */
public final class ChannelLink implements WorkerLink {
    static final String READY = "ready";
    static final String EOF = "eof";

    private final Channel channel;
    private final String description;
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final InputStream in = new Incoming();
    private final OutputStream out = new Outgoing();

    /**
     * Waits for the relay to say the worker is ready.
     *
     * @throws ExecnetException when the worker cannot start on the via host, with the reason given there
     */
    public ChannelLink(Channel channel, String description, Duration timeout) {
        this.channel = channel;
        this.description = description;
        Object first;
        try {
            first = channel.receive(timeout);
        } catch (ChannelTimeoutException e) {
            kill();
            throw new ExecnetException(description + " was not ready after " + timeout + ", so it was killed", e);
        } catch (RemoteException e) {
            throw new ExecnetException(description + " could not start there: " + firstLine(e.remoteTrace()), e);
        } catch (ChannelClosedException e) {
            throw new ExecnetException(description + " could not start: " + e.getMessage(), e);
        }
        if (!READY.equals(first)) {
            kill();
            throw new ExecnetException(description + ": the relay said " + first + " instead of " + READY);
        }
    }

    /** The exception line of a remote stack trace, which is what explains a failed start. */
    private static String firstLine(String trace) {
        String line = trace.lines().findFirst().orElse(trace);
        int colon = line.indexOf(": ");
        return line.startsWith("org.jexecnet.") && colon > 0 ? line.substring(colon + 2) : line;
    }

    private final class Incoming extends InputStream {
        private byte[] chunk = new byte[0];
        private int position;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (position == chunk.length) {
                Object item;
                try {
                    item = channel.receive();
                } catch (RemoteException | ChannelClosedException e) {
                    ended.complete(null);
                    if (e instanceof RemoteException remote) {
                        throw new IOException("the relay on the via host failed: " + firstLine(remote.remoteTrace()), e);
                    }
                    if (e.getClass() != ChannelClosedException.class) {
                        throw new IOException(e.getMessage(), e); // the via gateway's connection is gone
                    }
                    return -1;
                }
                if (item instanceof byte[] bytes) {
                    chunk = bytes;
                    position = 0;
                }
            }
            int n = Math.min(len, chunk.length - position);
            System.arraycopy(chunk, position, b, off, n);
            position += n;
            return n;
        }
    }

    private final class Outgoing extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                channel.send(Arrays.copyOfRange(b, off, off + len));
            } catch (ChannelClosedException e) {
                throw new IOException(description + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            try {
                channel.send(EOF);
            } catch (ChannelClosedException e) {
                // the relay has ended already
            }
        }
    }

    @Override
    public InputStream in() {
        return in;
    }

    @Override
    public OutputStream out() {
        return out;
    }

    @Override
    public boolean awaitExit(long deadlineNanos) {
        return WorkerLink.await(ended, deadlineNanos);
    }

    /**
     * Closes the relay's channel: a close needs no credit, so it goes even when the relay has stopped
     * taking data, and the relay kills the worker when its channel closes under it.
     */
    @Override
    public void kill() {
        try {
            channel.close();
        } catch (ChannelClosedException | IllegalStateException e) {
            // the relay has ended already
        }
        ended.complete(null);
    }

    @Override
    public String toString() {
        return description;
    }
}
