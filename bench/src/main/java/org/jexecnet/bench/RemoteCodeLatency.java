package org.jexecnet.bench;

import com.google.gson.Gson;
import java.io.IOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jexecnet.Channel;
import org.jexecnet.Gateway;
import org.jexecnet.Group;
import org.jexecnet.internal.gateway.MasterGateway;

/**
 * How long the first remote execution takes on a fresh gateway, by the form of the code, beside
 * Python execnet's first {@code remote_exec(function)} in the same run; and how many round trips
 * class loading costs when the code touches a library only the master has (Gson, 224 classes).
 *
 * <p>Usage, from the repository's root: {@code bench/run-remote-code.sh}, which runs it with jexecnet's own jar
 * and Gson apart from the benchmark jar. Python's side is {@code bench/python/first_exec.py}; the system
 * property {@code execnet.python} names the Python that has execnet (default {@code /usr/bin/python3});
 * {@code -Dbench.quick=true} measures two gateways each instead of eleven.
 */
public final class RemoteCodeLatency {
    private static final int REPS = Boolean.getBoolean("bench.quick") ? 2 : 11;
    private static final Duration T = Duration.ofSeconds(60);
    /** What each gateway runs first, as the Python side runs {@code remote_exec('pass')}. */
    private static final String WARM_UP = "";

    private RemoteCodeLatency() {}

    /** A lambda of the plainest kind: nothing to load but its own class. */
    private static void plain(Channel channel) {
        channel.send(1);
    }

    /** Touches Gson, which the worker does not have. */
    private static void withLibrary(Channel channel) {
        channel.send(new Gson().toJson(Map.of("answer", List.of(1, 2, 3))));
    }

    /**
     * Runs the measurements and prints them.
     *
     * @param args unused
     * @throws Exception when a measurement fails
     */
    public static void main(String[] args) throws Exception {
        System.out.println("# date: " + ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME));
        System.out.println("# java " + System.getProperty("java.runtime.version") + ", " + Runtime.getRuntime().availableProcessors()
                + " CPUs; medians of " + REPS + " fresh gateways each, after one warm-up");
        List<Double> lambda = new ArrayList<>();
        List<Double> source = new ArrayList<>();
        List<Double> library = new ArrayList<>();
        List<Integer> requests = new ArrayList<>();
        try (Group group = new Group()) {
            for (int i = 0; i <= REPS; i++) {
                lambda.add(first(group, gw -> gw.remoteExec(RemoteCodeLatency::plain)));
                source.add(first(group, gw -> gw.remoteExec("channel.send(1);")));
                Gateway gw = group.makeGateway();
                gw.remoteExec(WARM_UP).waitClose(T);
                long t0 = System.nanoTime();
                gw.remoteExec(RemoteCodeLatency::withLibrary).receive(T);
                library.add((System.nanoTime() - t0) / 1e6);
                requests.add(((MasterGateway) gw).classRequests());
                gw.close();
            }
        }
        double[] python = python();
        System.out.printf("%-58s %10s %10s%n", "first remote execution on a fresh gateway", "jexecnet", "execnet");
        print("remoteExec(lambda)  vs  remote_exec(function)", median(lambda), python[0]);
        print("remoteExec(String), compiled before  vs  remote_exec(str)", median(source), python[1]);
        print("remoteExec(lambda using Gson: 224 classes, one jar)", median(library), Double.NaN);
        System.out.println("class-loading round trips for the Gson lambda: " + requests.subList(1, requests.size())
                + " (target: one per jar)");
    }

    private interface Exec {
        Channel on(Gateway gateway);
    }

    /** Milliseconds from remoteExec to the first item, on a gateway that has run one execution, as Python's has. */
    private static double first(Group group, Exec exec) {
        Gateway gw = group.makeGateway();
        try {
            gw.remoteExec(WARM_UP).waitClose(T);
            long t0 = System.nanoTime();
            exec.on(gw).receive(T);
            return (System.nanoTime() - t0) / 1e6;
        } finally {
            gw.close();
        }
    }

    /** The median of all but the first, warm-up, value. */
    private static double median(List<Double> values) {
        return Figures.median(values.subList(1, values.size()));
    }

    private static void print(String what, double jexecnet, double execnet) {
        System.out.printf("%-58s %8.1f ms %8s%s%n", what, jexecnet,
                Double.isNaN(execnet) ? "-" : String.format("%.1f ms", execnet),
                Double.isNaN(execnet) ? "" : String.format("   ratio %.2fx", jexecnet / execnet));
    }

    /** Python execnet's medians for a function and for source text, or NaN when it cannot run. */
    private static double[] python() throws InterruptedException {
        List<String> output;
        try {
            output = ReferenceScripts.run(ReferenceScripts.command("first_exec.py", Integer.toString(REPS)), 300);
        } catch (IOException | IllegalStateException e) {
            System.out.println("# Python execnet failed: " + e.getMessage());
            return new double[] {Double.NaN, Double.NaN};
        }
        return new double[] {scriptMedian(output, "first_exec.function"), scriptMedian(output, "first_exec.source")};
    }

    private static double scriptMedian(List<String> output, String name) {
        return output.stream().filter(line -> line.startsWith(name + ": "))
                .mapToDouble(line -> Double.parseDouble(line.substring(name.length() + 2).split(" ")[0]))
                .findFirst().orElse(Double.NaN);
    }
}
