package org.jexecnet.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.jexecnet.Channel;
import org.jexecnet.Gateway;
import org.jexecnet.Group;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code jexecnet bench}: a quick same-run comparison with Python execnet on popen gateways (start to
 * first item, round trip, one-way messages, bulk bytes), when Python execnet is installed. The full
 * suites, with the machine's limits, are the scripts in {@code bench/} (docs/performance.md).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure popen gateways and channels here, and Python execnet doing the same in the same run when it is"
                + " installed, and print the medians and ratios. About 20 s. The full suites are bench/run-*.sh."})
final class BenchCommand implements Callable<Integer> {
    private static final Duration T = Duration.ofSeconds(60);

    @Spec
    CommandSpec spec;

    @Mixin
    Verbosity verbosity;

    @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "The Python that has execnet (default: ${DEFAULT-VALUE}).")
    String python;

    /** The same work in Python execnet; prints name=median lines. */
    private static final String PYTHON = String.join("\n",
            "import time, statistics, execnet",
            "def med(xs): return statistics.median(xs)",
            "t = []",
            "for i in range(6):",
            "    t0 = time.perf_counter(); gw = execnet.makegateway('popen'); ch = gw.remote_exec('channel.send(1)'); ch.receive()",
            "    t.append((time.perf_counter() - t0) * 1e3); gw.exit(); gw.join()",
            "print('first_item_ms=%f' % med(t[1:]))",
            "gw = execnet.makegateway('popen')",
            "ch = gw.remote_exec('for x in channel: channel.send(x)')",
            "for i in range(1000): ch.send(i); ch.receive()",
            "rt = []",
            "for r in range(5):",
            "    t0 = time.perf_counter()",
            "    for i in range(2000): ch.send(i); ch.receive()",
            "    rt.append((time.perf_counter() - t0) / 2000 * 1e6)",
            "print('round_trip_us=%f' % med(rt))",
            "ow = []",
            "for r in range(5):",
            "    c = gw.remote_exec('for i in range(100000): channel.send(i)')",
            "    t0 = time.perf_counter()",
            "    for i in range(100000): c.receive()",
            "    ow.append(100000 / (time.perf_counter() - t0))",
            "print('one_way_msg_s=%f' % med(ow))",
            "bk = []",
            "for r in range(5):",
            "    c = gw.remote_exec('b = bytes(1 << 20)\\nfor i in range(100): channel.send(b)')",
            "    t0 = time.perf_counter()",
            "    for i in range(100): c.receive()",
            "    bk.append(100 * (1 << 20) / 1e6 / (time.perf_counter() - t0))",
            "print('bulk_mb_s=%f' % med(bk))",
            "gw.exit(); gw.join()");

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        out.println("measuring jexecnet ...");
        out.flush();
        Map<String, Double> mine = measure();
        Map<String, Double> theirs = new LinkedHashMap<>();
        out.println("measuring Python execnet (" + python + ") ...");
        out.flush();
        String missing = python(theirs);
        out.printf("%-24s %14s %14s %10s%n", "", "jexecnet", "execnet", "ratio");
        row(out, "first item, ms", "first_item_ms", mine, theirs, false);
        row(out, "round trip, us", "round_trip_us", mine, theirs, false);
        row(out, "one way, msg/s", "one_way_msg_s", mine, theirs, true);
        row(out, "bulk 1 MiB, MB/s", "bulk_mb_s", mine, theirs, true);
        out.println(missing != null ? "(no execnet figures: " + missing + ")"
                : "ratio: how many times better jexecnet is; medians; same run, same machine. Full suites: bench/run-*.sh");
        return 0;
    }

    private static void row(PrintWriter out, String label, String key, Map<String, Double> mine, Map<String, Double> theirs, boolean more) {
        Double a = mine.get(key);
        Double b = theirs.get(key);
        String ratio = b == null ? "-" : String.format(Locale.ROOT, "%.2fx", more ? a / b : b / a);
        out.printf(Locale.ROOT, "%-24s %14.1f %14s %10s%n", label, a, b == null ? "-" : String.format(Locale.ROOT, "%.1f", b), ratio);
    }

    private static Map<String, Double> measure() {
        Map<String, Double> results = new LinkedHashMap<>();
        try (Group group = new Group()) {
            List<Double> first = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                long t0 = System.nanoTime();
                Gateway gw = group.makeGateway("popen");
                gw.remoteExec(ch -> ch.send(1)).receive(T);
                first.add((System.nanoTime() - t0) / 1e6);
                gw.close();
            }
            results.put("first_item_ms", median(first.subList(1, first.size())));
            Gateway gw = group.makeGateway("popen");
            Channel echo = gw.remoteExec(ch -> {
                for (Object x : ch) {
                    ch.send(x);
                }
            });
            for (int i = 0; i < 5000; i++) {
                echo.send(i);
                echo.receive(T);
            }
            List<Double> roundTrips = new ArrayList<>();
            for (int r = 0; r < 5; r++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < 2000; i++) {
                    echo.send(i);
                    echo.receive(T);
                }
                roundTrips.add((System.nanoTime() - t0) / 2000 / 1e3);
            }
            results.put("round_trip_us", median(roundTrips));
            List<Double> oneWay = new ArrayList<>();
            for (int r = 0; r < 6; r++) {
                Channel c = gw.remoteExec(ch -> {
                    for (int i = 0; i < 100_000; i++) {
                        ch.send(i);
                    }
                });
                long t0 = System.nanoTime();
                for (int i = 0; i < 100_000; i++) {
                    c.receive(T);
                }
                oneWay.add(100_000 / ((System.nanoTime() - t0) / 1e9));
            }
            results.put("one_way_msg_s", median(oneWay.subList(1, oneWay.size())));
            List<Double> bulk = new ArrayList<>();
            for (int r = 0; r < 6; r++) {
                Channel c = gw.remoteExec(ch -> {
                    byte[] b = new byte[1 << 20];
                    for (int i = 0; i < 100; i++) {
                        ch.send(b);
                    }
                });
                long t0 = System.nanoTime();
                for (int i = 0; i < 100; i++) {
                    c.receive(T);
                }
                bulk.add(100 * (1 << 20) / 1e6 / ((System.nanoTime() - t0) / 1e9));
            }
            results.put("bulk_mb_s", median(bulk.subList(1, bulk.size())));
        }
        return results;
    }

    /** Runs the Python side; returns why there are no figures, or null. */
    private String python(Map<String, Double> results) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(python, "-c", PYTHON).redirectErrorStream(true).start();
        } catch (IOException e) {
            return python + " cannot run: " + e.getMessage();
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            return output.contains("No module named 'execnet'") ? python + " has no execnet (Debian: python3-execnet)"
                    : "the Python side failed: " + output.strip().lines().reduce((a, b) -> b).orElse("");
        }
        for (String line : output.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                results.put(line.substring(0, eq).strip(), Double.parseDouble(line.substring(eq + 1).strip()));
            }
        }
        return null;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
}
