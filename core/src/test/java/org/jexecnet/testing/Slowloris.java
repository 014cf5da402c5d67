package org.jexecnet.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A slowloris flood against a socket server on loopback: connections that each send one byte a second
 * of a TLS record that never ends, and that are opened again within a tenth of a second of the server
 * closing one, so that the flood always holds as many connections as it can.
 */
public final class Slowloris implements AutoCloseable {
    /** A TLS handshake record header announcing 512 bytes, then a ClientHello's first bytes: plausible, and never finished. */
    private static final byte[] DRIBBLE = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03};

    private final InetSocketAddress target;
    private final InetSocketAddress from;
    private final List<SocketChannel> connections = new ArrayList<>();
    private final long[] lastByte;
    private final int[] sent;
    private final AtomicInteger renewals = new AtomicInteger();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "slowloris");
        thread.setDaemon(true);
        return thread;
    });

    /** Opens {@code count} connections to the port on 127.0.0.1 from {@code source}, another loopback address. */
    public Slowloris(String source, int port, int count) throws IOException {
        this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        this.from = new InetSocketAddress(InetAddress.getByName(source), 0);
        this.lastByte = new long[count];
        this.sent = new int[count];
        for (int i = 0; i < count; i++) {
            connections.add(open());
        }
        ticker.scheduleWithFixedDelay(this::tick, 0, 100, TimeUnit.MILLISECONDS);
    }

    private SocketChannel open() throws IOException {
        SocketChannel channel = SocketChannel.open();
        channel.bind(from);
        channel.connect(target);
        channel.configureBlocking(false);
        return channel;
    }

    /** How many connections the server closed and the flood opened again. */
    public int renewals() {
        return renewals.get();
    }

    private void tick() {
        ByteBuffer probe = ByteBuffer.allocate(64);
        for (int i = 0; i < connections.size(); i++) {
            SocketChannel channel = connections.get(i);
            try {
                probe.clear();
                if (channel.read(probe) < 0) {
                    throw new IOException("closed by the server");
                }
                if (System.nanoTime() - lastByte[i] >= TimeUnit.SECONDS.toNanos(1)) {
                    channel.write(ByteBuffer.wrap(DRIBBLE, sent[i]++ % DRIBBLE.length, 1));
                    lastByte[i] = System.nanoTime();
                }
            } catch (IOException closed) {
                try {
                    channel.close();
                    connections.set(i, open());
                    sent[i] = 0;
                    lastByte[i] = 0;
                    renewals.incrementAndGet();
                } catch (IOException e) {
                    // the server is not accepting right now: the next tick tries again
                }
            }
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        ticker.shutdownNow();
        ticker.awaitTermination(10, TimeUnit.SECONDS);
        for (SocketChannel channel : connections) {
            channel.close();
        }
    }
}
