package org.jexecnet.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jexecnet.Channel;
import org.jexecnet.Gateway;
import org.jexecnet.Group;

/**
 * A Java master talking to Python execnet's own worker, beside a Python master talking to the same
 * worker ({@code b2_pingpong.py} and {@code b3_oneway.py}), in one run: what jexecnet's master side
 * costs, measured against execnet's, with the same Python on the other end.
 *
 * <p>Usage: {@code java -cp jexecnet-VERSION.jar:jexecnet-bench.jar org.jexecnet.bench.PythonWorkerComparison
 * [SCRIPTS_DIR]} (default {@code ../shared/bench-execnet}); {@code execnet.python} names the Python.
 */
public final class PythonWorkerComparison {
    private static final Duration T = Duration.ofSeconds(60);
    private static final int PINGPONG_N = 10_000;
    private static final int REPS = 5;
    private static final int ONEWAY_N = 200_000;

    private PythonWorkerComparison() {}

    /**
     * Runs both sides and prints their medians and ratios.
     *
     * @param args optionally the directory of the reference scripts
     * @throws Exception when a measurement fails
     */
    public static void main(String[] args) throws Exception {
        Path scripts = Path.of(args.length > 0 ? args[0] : "../shared/bench-execnet").toAbsolutePath().normalize();
        String python = System.getProperty("execnet.python", "/usr/bin/python3");
        System.out.println("# date: " + ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME));
        System.out.println("# java " + System.getProperty("java.runtime.version") + "; worker and reference: " + python);
        List<Double> roundTrip = new ArrayList<>();
        List<Double> toMaster = new ArrayList<>();
        List<Double> toWorker = new ArrayList<>();
        try (Group group = new Group("popen//python=" + python)) {
            Gateway gw = group.get(0);
            Channel echo = gw.remoteExec("for x in channel:\n    channel.send(x)");
            for (int r = 0; r <= REPS; r++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < PINGPONG_N; i++) {
                    echo.send(i);
                    echo.receive(T);
                }
                if (r > 0) {
                    roundTrip.add((System.nanoTime() - t0) / 1e3 / PINGPONG_N);
                }
            }
            echo.close();
            for (int r = 0; r <= REPS; r++) {
                Channel send = gw.remoteExec("n = channel.receive()\nfor i in range(n):\n    channel.send(i)");
                long t0 = System.nanoTime();
                send.send(ONEWAY_N);
                for (int i = 0; i < ONEWAY_N; i++) {
                    send.receive(T);
                }
                long t1 = System.nanoTime();
                send.waitClose(T);
                Channel count = gw.remoteExec("c = 0\nwhile 1:\n    x = channel.receive()\n    if x is None:\n        break\n"
                        + "    c += 1\nchannel.send(c)");
                long t2 = System.nanoTime();
                for (int i = 0; i < ONEWAY_N; i++) {
                    count.send(i);
                }
                count.send(null);
                count.receive(T);
                long t3 = System.nanoTime();
                count.waitClose(T);
                if (r > 0) {
                    toMaster.add(ONEWAY_N / ((t1 - t0) / 1e9));
                    toWorker.add(ONEWAY_N / ((t3 - t2) / 1e9));
                }
            }
        }
        double pythonRoundTrip = scriptMedian(python, scripts, "pingpong.round_trip_10k", "b2_pingpong.py", "10000", "5");
        List<String> oneway = script(python, scripts, "b3_oneway.py", "200000", "5");
        print("round trip, small int (us)", Figures.median(roundTrip), pythonRoundTrip, "lower is faster");
        print("one-way worker -> master (msg/s)", Figures.median(toMaster), median(oneway, "oneway.remote_to_master_200k_ints"), "");
        print("one-way master -> worker (msg/s)", Figures.median(toWorker), median(oneway, "oneway.master_to_remote_200k_ints"), "");
    }

    private static void print(String what, double java, double python, String note) {
        System.out.printf("%-36s Java master %10s   Python master %10s   ratio %.2fx %s%n", what, Figures.format(java),
                Figures.format(python), java / python, note);
    }

    private static double scriptMedian(String python, Path scripts, String name, String... args)
            throws IOException, InterruptedException {
        return median(script(python, scripts, args), name);
    }

    private static double median(List<String> lines, String name) {
        for (String line : lines) {
            if (line.startsWith(name + ": ")) {
                return Double.parseDouble(line.substring(name.length() + 2).split(" ")[0]);
            }
        }
        throw new IllegalStateException("the script printed no " + name + ": " + lines);
    }

    private static List<String> script(String python, Path scripts, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(python));
        command.add(scripts.resolve(args[0]).toString());
        command.addAll(List.of(args).subList(1, args.length));
        ProcessBuilder builder = new ProcessBuilder(command).directory(scripts.toFile()).redirectErrorStream(true);
        builder.environment().put("PYTHONDONTWRITEBYTECODE", "1"); // the scripts' directory is shared: leave no __pycache__ there
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(300, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(args[0] + " did not finish in 300 s");
        }
        out.lines().filter(l -> !l.startsWith("#")).forEach(l -> System.out.println("execnet| " + l));
        return out.lines().toList();
    }
}
