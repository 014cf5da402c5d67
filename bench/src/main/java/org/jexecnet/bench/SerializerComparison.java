package org.jexecnet.bench;

import java.io.IOException;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jexecnet.Execnet;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link SerializerBench} and then Python execnet's {@code bench/python/serializer.py} in the same run, and
 * prints the medians of both side by side with their ratio.
 *
 * <p>Absolute figures on a shared machine drift by 2x between runs; only ratios from one run mean
 * anything, which is why both sides run here rather than against a stored baseline.
 *
 * <p>Usage, from the repository's root: {@code java -jar bench/target/jexecnet-bench.jar}
 * ({@code bench/run-serializer.sh} builds and runs it). The system property {@code execnet.python} names the
 * Python that has execnet (default {@code /usr/bin/python3}); {@code -Dbench.quick=true} makes every iteration
 * short and few, a run of seconds whose figures mean nothing but which shows that every part works.
 */
public final class SerializerComparison {
    /** Few and short iterations: a run that proves the parts work, not one whose figures count. */
    private static final boolean QUICK = Boolean.getBoolean("bench.quick");
    /** serializer.py's repetitions and JMH's measurement iterations alike, so both medians are of as many samples. */
    private static final int REPS = QUICK ? 2 : 7;
    private static final int WARMUPS = QUICK ? 1 : 5;
    /** Shorter warmups leave the list and dict cases still speeding up through the measurement. */
    private static final TimeValue WARMUP_TIME = QUICK ? TimeValue.milliseconds(100) : TimeValue.seconds(1);
    private static final TimeValue ITERATION_TIME = TimeValue.milliseconds(QUICK ? 100 : 500);
    /** serializer.py's least time per repetition, as JMH's iteration time. */
    private static final long PYTHON_MIN_MILLIS = QUICK ? 20 : 200;
    /** serializer.py stops repeating after 90 s by itself; this bound is for a Python that hangs. */
    private static final long PYTHON_TIMEOUT_SECONDS = 180;
    /** serializer.py's MB. */
    private static final double MB = 1e6;
    private static final List<String> OPS = List.of("dumps", "loads");
    private static final Pattern RESULT = Pattern.compile("^(serializer\\.\\S+): (\\S+) (\\S+)  \\[.*");
    private static final Pattern SIZE = Pattern.compile("^# (\\S+): serialized size (\\d+) bytes$");

    private SerializerComparison() {}

    /**
     * Runs the comparison and prints it to standard output.
     *
     * @param args none
     * @throws RunnerException when JMH fails
     * @throws InterruptedException when interrupted while waiting for Python
     */
    public static void main(String[] args) throws RunnerException, InterruptedException {
        ProcessBuilder pythonCommand = ReferenceScripts.command("serializer.py", Integer.toString(REPS),
                Long.toString(PYTHON_MIN_MILLIS));
        System.out.println("# command: " + ProcessHandle.current().info().commandLine()
                .orElse("java " + System.getProperty("sun.java.command")));
        System.out.println("# python command: " + String.join(" ", pythonCommand.command()));
        System.out.println("# date: " + ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME));
        System.out.println("# java " + System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vm.name")
                + "), " + Runtime.getRuntime().availableProcessors() + " CPUs");
        System.out.printf("# JMH: 1 fork, %d warmup iterations of %s, %d measurement iterations of %s, throughput;"
                + " medians of the iterations%n", WARMUPS, WARMUP_TIME, REPS, ITERATION_TIME);
        System.out.flush();

        Map<String, List<Double>> java = runJmh();
        Python python = runPython(pythonCommand);

        System.out.println();
        python.output.forEach(line -> System.out.println("# execnet| " + line));
        // MB/s counts serialized bytes on both sides, so the sizes must agree; printTable checks them against serializer.py's.
        Map<SerializerBench.Case, Integer> sizes = new EnumMap<>(SerializerBench.Case.class);
        for (SerializerBench.Case c : SerializerBench.Case.values()) {
            sizes.put(c, Execnet.dumps(c.build()).length);
            System.out.println("# jexecnet| # " + c.pythonName() + ": serialized size " + sizes.get(c) + " bytes");
            for (String op : OPS) {
                System.out.println("# jexecnet| " + describe(resultName(op, c), java.get(op + " " + c)));
            }
        }
        System.out.println();
        if (python.failure != null) {
            System.out.println("Python execnet is NOT available (" + python.failure + "): jexecnet figures only.");
        }
        printTable(java, sizes, python);
    }

    private static Map<String, List<Double>> runJmh() throws RunnerException {
        Options options = new OptionsBuilder()
                .include(Pattern.quote(SerializerBench.class.getName() + "."))
                .forks(1)
                .warmupIterations(WARMUPS)
                .warmupTime(WARMUP_TIME)
                .measurementIterations(REPS)
                .measurementTime(ITERATION_TIME)
                .mode(Mode.Throughput)
                .timeUnit(TimeUnit.SECONDS)
                .build();
        Collection<RunResult> results = new Runner(options).run();
        Map<String, List<Double>> scores = new HashMap<>();
        for (RunResult result : results) {
            String benchmark = result.getParams().getBenchmark();
            String op = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            String key = op + " " + SerializerBench.Case.valueOf(result.getParams().getParam("serializerCase"));
            List<Double> iterations = new ArrayList<>();
            for (BenchmarkResult fork : result.getBenchmarkResults()) {
                for (IterationResult iteration : fork.getIterationResults()) {
                    iterations.add(iteration.getPrimaryResult().getScore());
                }
            }
            scores.put(key, iterations);
        }
        return scores;
    }

    /** What serializer.py printed: its lines, its medians by result name, its serialized sizes by case name. */
    private static final class Python {
        final List<String> output = new ArrayList<>();
        final Map<String, Double> medians = new HashMap<>();
        final Map<String, Long> sizes = new HashMap<>();
        /** Why there are no Python figures, or null when there are. */
        String failure;
    }

    private static Python runPython(ProcessBuilder command) throws InterruptedException {
        Python python = new Python();
        try {
            python.output.addAll(ReferenceScripts.run(command, PYTHON_TIMEOUT_SECONDS));
        } catch (IOException | IllegalStateException e) {
            python.failure = e.getMessage();
        }
        for (String line : python.output) {
            Matcher result = RESULT.matcher(line);
            Matcher size = SIZE.matcher(line);
            if (result.matches()) {
                python.medians.put(result.group(1), Double.parseDouble(result.group(2)));
            } else if (size.matches()) {
                python.sizes.put(size.group(1), Long.parseLong(size.group(2)));
            }
        }
        if (python.failure == null) {
            List<String> missing = new ArrayList<>();
            for (SerializerBench.Case c : SerializerBench.Case.values()) {
                for (String op : OPS) {
                    String name = resultName(op, c);
                    List<String> wanted = c.items() == 0
                            ? List.of(name, name + ".MBps")
                            : List.of(name, name + ".MBps", name + ".items");
                    for (String result : wanted) {
                        if (!python.medians.containsKey(result)) {
                            missing.add(result);
                        }
                    }
                }
            }
            if (!missing.isEmpty()) {
                python.failure = "serializer.py did not report " + String.join(", ", missing);
            }
        }
        return python;
    }

    private static void printTable(Map<String, List<Double>> java, Map<SerializerBench.Case, Integer> sizes, Python python) {
        boolean withPython = python.failure == null;
        String columns = "%-17s %-6s %14s %10s %12s";
        String pythonColumns = " | %14s %10s %12s | %8s";
        String header = String.format(columns, "case", "op", "jexecnet ops/s", "MB/s", "items/s");
        System.out.println(withPython
                ? header + String.format(pythonColumns, "execnet ops/s", "MB/s", "items/s", "ratio")
                : header);
        List<String> notes = new ArrayList<>();
        for (SerializerBench.Case c : SerializerBench.Case.values()) {
            long size = sizes.get(c);
            Long pythonSize = python.sizes.get(c.pythonName());
            if (withPython && (pythonSize == null || pythonSize != size)) {
                notes.add(String.format("serialized size of %s differs: jexecnet %d bytes, execnet %s",
                        c.pythonName(), size, pythonSize == null ? "did not say" : pythonSize + " bytes"));
            }
            for (String op : OPS) {
                double ops = Figures.median(java.get(op + " " + c));
                double items = ops * c.items();
                String row = String.format(columns, c.pythonName(), op, Figures.format(ops), Figures.format(ops * size / MB),
                        c.items() == 0 ? "-" : Figures.format(items));
                if (withPython) {
                    String name = resultName(op, c);
                    Double pythonItems = python.medians.get(name + ".items");
                    Double pythonMbps = python.medians.get(name + ".MBps");
                    // The finest figure serializer.py prints: it rounds medians of 100 and more to whole numbers.
                    double ratio = c.items() == 0 ? ops * size / MB / pythonMbps : items / pythonItems;
                    row += String.format(pythonColumns, Figures.format(python.medians.get(name)), Figures.format(pythonMbps),
                            c.items() == 0 ? "-" : Figures.format(pythonItems), String.format(Locale.ROOT, "%.1fx", ratio));
                }
                System.out.println(row);
            }
        }
        System.out.println("MB = 10^6 bytes of serialized form, as serializer.py counts."
                + (withPython ? " ratio = jexecnet / execnet, from items/s where serializer.py reports them and from MB/s elsewhere." : ""));
        notes.forEach(note -> System.out.println("NOTE: " + note));
    }

    private static String resultName(String op, SerializerBench.Case c) {
        return "serializer." + op + "." + c.pythonName();
    }

    /** A result line in serializer.py's own form, so that the two sides read alike. */
    private static String describe(String name, List<Double> values) {
        double median = Figures.median(values);
        double min = values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        return String.format(Locale.ROOT, "%s: %s ops/s  [min %s, max %s, n=%d, spread %.0f%%]",
                name, Figures.format(median), Figures.format(min), Figures.format(max), values.size(), (max - min) / median * 100);
    }
}
