package org.jexecnet.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.jexecnet.Channel;
import org.jexecnet.ChannelClosedException;
import org.jexecnet.Gateway;
import org.jexecnet.Group;
import org.jexecnet.internal.gateway.MasterGateway;

/**
 * The soak: mixed traffic over 8 popen gateways for a number of minutes (round trips, one-way streams,
 * bulk bytes both ways, lambdas shipped anew), with a worker killed with -9 and replaced every few
 * seconds. Every 30 s it samples this JVM's threads, open file descriptors, child processes and heap
 * after a GC; at the end it compares the last samples with the first. Output: a table and a verdict.
 *
 * <p>Usage: {@code java -cp jexecnet.jar:jexecnet-bench.jar org.jexecnet.bench.Soak [MINUTES]};
 * {@code bench/run-soak.sh} builds and runs it.
 */
public final class Soak {
    private static final Duration T = Duration.ofSeconds(60);
    private static final int GATEWAYS = 8;

    public static void main(String[] args) throws Exception {
        double minutes = args.length > 0 ? Double.parseDouble(args[0]) : 10;
        long end = System.nanoTime() + (long) (minutes * 60e9);
        Random random = new Random(1);
        AtomicLong operations = new AtomicLong();
        AtomicLong restarts = new AtomicLong();
        AtomicLong lostChannels = new AtomicLong();
        List<long[]> samples = new ArrayList<>();
        System.out.printf("%8s %10s %8s %6s %10s %10s %9s%n", "seconds", "operations", "threads", "fds", "children", "heap MiB", "restarts");
        long start = System.nanoTime();
        long nextSample = start;
        long nextKill = start + 5_000_000_000L;
        try (Group group = new Group()) {
            List<Gateway> gateways = new ArrayList<>();
            for (int i = 0; i < GATEWAYS; i++) {
                gateways.add(group.makeGateway("popen"));
            }
            while (System.nanoTime() < end) {
                int index = random.nextInt(GATEWAYS);
                Gateway gw = gateways.get(index);
                try {
                    work(gw, random);
                    operations.incrementAndGet();
                } catch (ChannelClosedException lost) {
                    lostChannels.incrementAndGet(); // its worker was killed meanwhile
                }
                if (System.nanoTime() >= nextKill) {
                    int victim = random.nextInt(GATEWAYS);
                    ((MasterGateway) gateways.get(victim)).kill(); // kill -9 of the worker and what it started
                    gateways.get(victim).close();
                    gateways.set(victim, group.makeGateway("popen"));
                    restarts.incrementAndGet();
                    nextKill = System.nanoTime() + 3_000_000_000L + random.nextInt(4000) * 1_000_000L;
                }
                if (System.nanoTime() >= nextSample) {
                    long[] sample = sample(start, operations.get(), restarts.get());
                    samples.add(sample);
                    System.out.printf("%8d %10d %8d %6d %10d %10d %9d%n", sample[0], sample[1], sample[2], sample[3], sample[4],
                            sample[5] >> 20, sample[6]);
                    nextSample += 30_000_000_000L;
                }
            }
        }
        long[] first = samples.get(Math.min(1, samples.size() - 1)); // after the first half minute's warm-up
        long[] running = samples.get(samples.size() - 1); // the last sample with all gateways up
        long[] last = sample(start, operations.get(), restarts.get());
        System.out.printf("%8d %10d %8d %6d %10d %10d %9d   (after terminate)%n", last[0], last[1], last[2], last[3], last[4],
                last[5] >> 20, last[6]);
        System.out.printf("operations %d, worker restarts %d, channels lost with their worker %d%n", operations.get(), restarts.get(),
                lostChannels.get());
        boolean flat = running[2] <= first[2] + 8 && running[3] <= first[3] + 8 && running[4] == GATEWAYS
                && running[5] <= first[5] + (64L << 20) && last[4] == 0;
        System.out.println(flat ? "verdict: flat (threads, fds, children and heap of the last sample within a few of the 30 s one;"
                + " no child process left after terminate)" : "verdict: NOT flat: compare the rows");
        if (!flat) {
            System.exit(1);
        }
    }

    /** One of the kinds of traffic, chosen at random. */
    private static void work(Gateway gw, Random random) {
        switch (random.nextInt(5)) {
            case 0 -> { // round trips
                Channel echo = gw.remoteExec(ch -> {
                    for (Object item : ch) {
                        ch.send(item);
                    }
                });
                for (int i = 0; i < 200; i++) {
                    echo.send(i);
                    echo.receive(T);
                }
                echo.close();
                echo.waitClose(T);
            }
            case 1 -> { // a one-way stream
                Channel stream = gw.remoteExec(ch -> {
                    for (int i = 0; i < 20_000; i++) {
                        ch.send(i);
                    }
                });
                for (int i = 0; i < 20_000; i++) {
                    stream.receive(T);
                }
                stream.waitClose(T);
            }
            case 2 -> { // bulk both ways
                Channel bulk = gw.remoteExec(ch -> {
                    for (int i = 0; i < 8; i++) {
                        ch.send(ch.receive(byte[].class));
                    }
                });
                byte[] chunk = new byte[1 << 20];
                for (int i = 0; i < 8; i++) {
                    bulk.send(chunk);
                    bulk.receive(T);
                }
                bulk.waitClose(T);
            }
            case 3 -> { // a lambda capturing a fresh value
                int seed = random.nextInt();
                gw.remoteExec(ch -> ch.send(seed * 2)).receive(T);
            }
            default -> gw.remoteStatus(T);
        }
    }

    private static long[] sample(long start, long operations, long restarts) throws IOException {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long fds;
        try (Stream<Path> open = Files.list(Path.of("/proc/self/fd"))) {
            fds = open.count();
        }
        long children = ProcessHandle.current().children().filter(ProcessHandle::isAlive).count();
        return new long[] {(System.nanoTime() - start) / 1_000_000_000L, operations, Thread.activeCount(), fds, children, heap, restarts};
    }
}
