package org.jexecnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jexecnet.testing.NoLeftoverWorkers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Per-channel flow control between JVM ends: bounded memory, nothing lost, no deadlock, no stall of other channels. */
@ExtendWith(NoLeftoverWorkers.class)
class FlowControlTest {
    static final Duration T = Duration.ofSeconds(120);
    private static final int MIB = 1 << 20;

    private static long heapUsed() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The worker's side: sends {@code chunks} MiB, numbered, reporting on {@code progress} when a send first had to wait. */
    static void push(Channel channel, Map<String, Object> kwargs) {
        Channel progress = (Channel) kwargs.get("progress");
        int chunks = (Integer) kwargs.get("chunks");
        System.gc();
        long before = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        boolean reported = false;
        for (int i = 0; i < chunks; i++) {
            byte[] chunk = new byte[MIB];
            ByteBuffer.wrap(chunk).putInt(i).putInt(0, i); // its number, at the start
            ByteBuffer.wrap(chunk).putInt(MIB - 4, i); // and at the end
            if (!reported) {
                try {
                    channel.send(chunk, Duration.ofMillis(500));
                    continue;
                } catch (ChannelTimeoutException blocked) {
                    System.gc();
                    long growth = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() - before;
                    progress.send(List.of(i, growth));
                    reported = true;
                }
            }
            channel.send(chunk);
        }
    }

    @Test
    void fourGibibytesIntoAChannelNobodyReadsStayInAWindowAndAllArriveInOrder() throws Exception {
        int chunks = 4096; // 4 GiB
        try (Group group = new Group("popen//jvmargs=-Xmx256m")) {
            Gateway gw = group.get(0);
            long before = heapUsed();
            Channel progress = gw.newChannel();
            Channel data = gw.remoteExec(FlowControlTest::push, Map.of("progress", progress, "chunks", chunks));
            List<?> blocked = progress.receive(List.class, T); // the worker's send had to wait: nobody reads
            int sentBeforeBlocking = (Integer) blocked.get(0);
            long workerGrowth = ((Number) blocked.get(1)).longValue();
            long masterGrowth = heapUsed() - before;
            assertTrue(sentBeforeBlocking <= XSpec.DEFAULT_WINDOW_BYTES / MIB + 2, "the window held the sender after " + sentBeforeBlocking + " MiB");
            assertTrue(workerGrowth < 64L * MIB, "worker heap grew " + workerGrowth);
            assertTrue(masterGrowth < 64L * MIB, "master heap grew " + masterGrowth);
            for (int i = 0; i < chunks; i++) {
                byte[] chunk = data.receive(byte[].class, T);
                assertEquals(MIB, chunk.length);
                assertEquals(i, ByteBuffer.wrap(chunk).getInt(0), "in order");
                assertEquals(i, ByteBuffer.wrap(chunk).getInt(MIB - 4), "whole");
            }
            data.waitClose(T);
        }
    }

    /** The worker's side of the two-way test: sends what it was told while a thread of its own receives. */
    static void exchange(Channel channel, Map<String, Object> kwargs) throws Exception {
        int chunks = (Integer) kwargs.get("chunks");
        CompletableFuture<Integer> received = CompletableFuture.supplyAsync(() -> {
            int count = 0;
            for (int i = 0; i < chunks; i++) {
                count += ((byte[]) channel.receive()).length == MIB ? 1 : 0;
            }
            return count;
        });
        byte[] chunk = new byte[MIB];
        for (int i = 0; i < chunks; i++) {
            channel.send(chunk);
        }
        channel.send(received.get(120, TimeUnit.SECONDS));
    }

    @Test
    void bothSidesSendingAGibibyteToEachOtherAtOnceComplete() throws Exception {
        int chunks = 1024;
        try (Group group = new Group("popen")) {
            Channel channel = group.get(0).remoteExec(FlowControlTest::exchange, Map.of("chunks", chunks));
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                byte[] chunk = new byte[MIB];
                for (int i = 0; i < chunks; i++) {
                    channel.send(chunk);
                }
            });
            for (int i = 0; i < chunks; i++) {
                assertEquals(MIB, channel.receive(byte[].class, T).length);
            }
            sending.get(120, TimeUnit.SECONDS);
            assertEquals(chunks, (Integer) channel.receive(T), "the worker received every chunk");
        }
    }

    @Test
    void aSlowConsumerDoesNotStallTheGatewaysOtherChannels() {
        try (Group group = new Group("popen")) {
            Gateway gw = group.get(0);
            Channel unread = gw.remoteExec(ch -> {
                byte[] chunk = new byte[MIB];
                for (int i = 0; i < 64; i++) {
                    ch.send(chunk); // blocks after the window: nobody reads this channel for now
                }
            });
            Channel echo = gw.remoteExec(ch -> {
                for (Object item : ch) {
                    ch.send(item);
                }
            });
            for (int i = 0; i < 1000; i++) {
                echo.send(i);
                assertEquals(i, (Integer) echo.receive(T));
            }
            echo.close();
            for (int i = 0; i < 64; i++) {
                assertEquals(MIB, unread.receive(byte[].class, T).length);
            }
        }
    }

    @Test
    void aSendCanGiveUpWaitingForTheReceiver() {
        try (Group group = new Group("popen//window=65536")) {
            Channel parked = group.get(0).newChannel();
            Channel holder = group.get(0).remoteExec(ch -> {
                Channel target = ch.receive(Channel.class);
                ch.send("ready");
                ch.receive(); // holds on without reading target
            });
            holder.send(parked);
            assertEquals("ready", holder.receive(T));
            byte[] chunk = new byte[40_000];
            parked.send(chunk, T);
            parked.send(chunk, T); // the window's credit is now overdrawn: the next send must wait
            ChannelTimeoutException e = assertThrows(ChannelTimeoutException.class, () -> parked.send(chunk, Duration.ofMillis(300)));
            assertTrue(e.getMessage().contains("the receiver has not taken"), e.getMessage());
            holder.send("done");
            holder.waitClose(T);
        }
    }

    /** The worker's side: reads channel b on a thread while it sends 32 chunks on its own channel, then says what b brought. */
    static void sendWhileReading(Channel a, Map<String, Object> kwargs) throws Exception {
        Channel b = (Channel) kwargs.get("b");
        a.receive(); // go
        CompletableFuture<Long> got = CompletableFuture.supplyAsync(() -> {
            long bytes = 0;
            for (int i = 0; i < 32; i++) {
                bytes += ((byte[]) b.receive()).length;
            }
            return bytes;
        });
        for (int i = 0; i < 32; i++) {
            a.send(new byte[256 << 10]);
        }
        a.send(got.get(60, TimeUnit.SECONDS));
    }

    @Test
    void aCallbackThatSendsNeverWaitsForCreditOnlyItsOwnThreadCouldRead() throws Exception {
        try (Group group = new Group("popen")) {
            Gateway gw = group.get(0);
            Channel b = gw.newChannel();
            Channel a = gw.remoteExec(FlowControlTest::sendWhileReading, Map.of("b", b));
            java.util.concurrent.BlockingQueue<Object> results = new java.util.concurrent.LinkedBlockingQueue<>();
            a.setCallback(item -> {
                if (item instanceof byte[] bytes) {
                    b.send(bytes); // on the receiver thread: 8 MiB through a window smaller than that
                } else {
                    results.add(item);
                }
            });
            a.send("go");
            Object total = results.poll(60, TimeUnit.SECONDS);
            assertTrue(total != null, "the callback's send waited for credit that only its own thread could read");
            assertEquals(32L * (256 << 10), ((Number) total).longValue());
        }
    }
}
