package org.jexecnet.internal.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.jexecnet.Channel;
import org.jexecnet.ChannelClosedException;
import org.jexecnet.ConnectionLostException;
import org.jexecnet.RemoteException;

/** A channel as an iterator, an input stream and an output stream, built on its send and receive. */
final class ChannelStreams {
    private ChannelStreams() {}

    /** Receives until the channel is closed; a lost connection and a remote error are raised. */
    static Iterator<Object> iterator(Channel channel) {
        return new Iterator<>() {
            private Object next;
            private boolean ready;
            private boolean done;

            @Override
            public boolean hasNext() {
                if (!ready && !done) {
                    try {
                        next = channel.receive();
                        ready = true;
                    } catch (ConnectionLostException lost) {
                        throw lost;
                    } catch (ChannelClosedException end) {
                        done = true;
                    }
                }
                return ready;
            }

            @Override
            public Object next() {
                if (!hasNext()) {
                    throw new NoSuchElementException(channel + " is closed");
                }
                ready = false;
                return next;
            }
        };
    }

    /** Each write sends its bytes as one item. */
    static OutputStream output(Channel channel, Channel.StreamClose onClose) {
        Objects.requireNonNull(onClose, "onClose is null: give Channel.StreamClose.LEAVES_CHANNEL_OPEN or CLOSES_CHANNEL");
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                try {
                    channel.send(Arrays.copyOfRange(bytes, offset, offset + length));
                } catch (ChannelClosedException e) {
                    throw new IOException(e.getMessage(), e);
                }
            }

            @Override
            public void close() {
                if (onClose == Channel.StreamClose.CLOSES_CHANNEL) {
                    channel.close();
                }
            }
        };
    }

    /** Reads the bytes of received items (strings as UTF-8) until the channel closes. */
    static InputStream input(Channel channel, Channel.StreamClose onClose) {
        Objects.requireNonNull(onClose, "onClose is null: give Channel.StreamClose.LEAVES_CHANNEL_OPEN or CLOSES_CHANNEL");
        return new InputStream() {
            private byte[] chunk = new byte[0];
            private int at;
            private boolean eof;

            private boolean fill() throws IOException {
                while (at == chunk.length && !eof) {
                    Object item;
                    try {
                        item = channel.receive();
                    } catch (ConnectionLostException | RemoteException e) {
                        throw new IOException(e.getMessage(), e);
                    } catch (ChannelClosedException end) {
                        eof = true;
                        break;
                    }
                    if (item instanceof byte[] bytes) {
                        chunk = bytes;
                    } else if (item instanceof String text) {
                        chunk = text.getBytes(StandardCharsets.UTF_8);
                    } else {
                        throw new IOException("item on " + channel + " is "
                                + (item == null ? "null" : item.getClass().getName()) + ", not bytes or a string");
                    }
                    at = 0;
                }
                return at < chunk.length;
            }

            @Override
            public int read() throws IOException {
                return fill() ? chunk[at++] & 0xff : -1;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (length == 0) {
                    return 0;
                }
                if (!fill()) {
                    return -1;
                }
                int n = Math.min(length, chunk.length - at);
                System.arraycopy(chunk, at, buffer, offset, n);
                at += n;
                return n;
            }

            @Override
            public void close() {
                if (onClose == Channel.StreamClose.CLOSES_CHANNEL) {
                    channel.close();
                }
            }
        };
    }
}
