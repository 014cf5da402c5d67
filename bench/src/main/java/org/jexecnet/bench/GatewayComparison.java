package org.jexecnet.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.jexecnet.Channel;
import org.jexecnet.Execnet;
import org.jexecnet.Gateway;
import org.jexecnet.Group;
import org.jexecnet.internal.gateway.ArchiveTrainer;

/**
 * Does the work of Python execnet's reference scripts ({@code bench/python}: {@code startup.py},
 * {@code pingpong.py}, {@code oneway.py}, {@code bulk.py}) with jexecnet's popen gateways and channels, runs
 * those scripts and {@code bench/limits/limits.sh} (the machine's limits) in the same run, and prints the medians
 * side by side with their ratios and the targets.
 *
 * <p>These are end-to-end timings of whole processes and streams, so they are taken as the Python scripts
 * take theirs, with {@link System#nanoTime()} around the same steps and the same repetition counts, rather
 * than with JMH. Warm-ups differ where the JVM needs them: Python runs its first repetition at full speed,
 * while a JVM runs its first ones interpreted, on both ends, until the JIT compiler has seen the code; so the
 * measured repetitions of the streams come after {@link #JIT_WARMUP_REPS} unmeasured ones (Python: one), and
 * the round trips after {@link #JIT_PINGPONG_WARMUP} (Python: 1,000). Java and Python sections alternate, so that the load of this shared
 * machine, which drifts during a run, weighs on both sides alike.
 *
 * <p>Usage, from the repository's root: {@code java -cp jexecnet-VERSION.jar:jexecnet-bench.jar
 * org.jexecnet.bench.GatewayComparison} ({@code bench/run-gateways.sh} builds and runs it). The core jar comes
 * first because a popen worker runs from the jar that jexecnet's classes were loaded from: that should be the
 * library's own jar, as in an application, not the shaded benchmark jar, whose 1,925 entries (JMH and its
 * dependencies) slow every worker's start. The system property {@code execnet.python} names the Python that has
 * execnet (default {@code /usr/bin/python3}); {@code -Dbench.quick=true} makes every count small, a run of about a
 * minute whose figures mean nothing but which shows that every part works.
 */
public final class GatewayComparison {
    /** Small counts everywhere: a run that proves the parts work, not one whose figures count. */
    private static final boolean QUICK = Boolean.getBoolean("bench.quick");
    /** startup.py's: 20 single gateways (after one warm-up), 7 groups of 8. */
    private static final int STARTUP_REPS = QUICK ? 2 : 20;
    private static final int GROUP_REPS = QUICK ? 1 : 7;
    private static final int GROUP_SIZE = 8;
    /** pingpong.py's: 7 repetitions of 10,000 round trips (after warm-up). */
    private static final int PINGPONG_N = QUICK ? 1_000 : 10_000;
    private static final int PINGPONG_REPS = QUICK ? 2 : 7;
    /** Unmeasured repetitions before the measured ones of the streams, for the JIT on both ends. */
    private static final int JIT_WARMUP_REPS = QUICK ? 1 : 3;
    /** Unmeasured round trips before the measured ones. */
    private static final int JIT_PINGPONG_WARMUP = QUICK ? 1_000 : 20_000;
    /** oneway.py's: 200,000 ints each way, 5 repetitions (after warm-up). */
    private static final int ONEWAY_N = QUICK ? 2_000 : 200_000;
    private static final int ONEWAY_REPS = QUICK ? 2 : 5;
    /** bulk.py's: 500 messages of 1 MiB each way, 5 repetitions (after warm-up). */
    private static final int BULK_MIB = QUICK ? 5 : 500;
    private static final int BULK_REPS = QUICK ? 2 : 5;
    private static final int CHUNK = 1 << 20;
    /** Fresh gateways whose idle worker is measured, on each side. */
    private static final int RSS_REPS = QUICK ? 2 : 5;

    /** The second JDK, whose workers start from an AOT cache: the {@code jexecnet.otherJava} system property. */
    private static final String OTHER_JAVA = System.getProperty("jexecnet.otherJava", "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
    /** How long the workers' archives may take to be made, in the background, before the start-up figures. */
    private static final Duration ARCHIVES = Duration.ofMinutes(5);
    /** Bounds every wait for an item: far above any step here, so it ends only a hung run. */
    private static final Duration RECEIVE = Duration.ofSeconds(60);
    /** startup.py's timeout for {@code group.terminate}. */
    private static final Duration TERMINATE = Duration.ofSeconds(10);
    /** The bound on each script. */
    private static final long SCRIPT_TIMEOUT_SECONDS = 300;
    /** limits.sh runs some thirty steps, each bounded to 120 s by itself; this bound is for one that hangs. */
    private static final long LIMITS_TIMEOUT_SECONDS = 900;
    /** The MB of bulk.py, and of the RSS here. */
    private static final double MB = 1e6;

    private static final String SEND_ONE = "channel.send(1);";
    private static final String ECHO = """
            for (Object x : channel) {
                channel.send(x);
            }
            """;
    private static final String SEND_N = """
            int n = channel.receive(Integer.class);
            for (int i = 0; i < n; i++) {
                channel.send(i);
            }
            """;
    private static final String COUNT = """
            int c = 0;
            while (channel.receive() != null) {
                c++;
            }
            channel.send(c);
            """;
    private static final String SUM_LENGTHS = """
            int n = channel.receive(Integer.class);
            long total = 0;
            for (int i = 0; i < n; i++) {
                total += channel.receive(byte[].class).length;
            }
            channel.send(total);
            """;
    private static final String SEND_BLOBS = """
            int n = channel.receive(Integer.class);
            byte[] blob = new byte[1 << 20];
            for (int i = 0; i < blob.length; i++) {
                blob[i] = (byte) i;
            }
            for (int i = 0; i < n; i++) {
                channel.send(blob);
            }
            """;
    private static final String SEND_PID = "channel.send(ProcessHandle.current().pid());";
    private static final List<String> SNIPPETS = List.of(SEND_ONE, ECHO, SEND_N, COUNT, SUM_LENGTHS, SEND_BLOBS, SEND_PID);

    private static final Pattern RESULT = Pattern.compile("^(\\S+): (\\S+) (\\S+)  \\[.*");
    private static final Pattern RSS_LINE = Pattern.compile("^rss (\\d+) (\\d+) (\\d+)$");

    private GatewayComparison() {}

    /** What one side measured: medians by result name, and why some are missing. */
    private static final class Results {
        private final String prefix;
        final Map<String, Double> medians = new HashMap<>();
        final List<String> failures = new ArrayList<>();

        Results(String prefix) {
            this.prefix = prefix;
        }

        /** Prints a result line in the reference scripts' own form, so that the two sides read alike. */
        void report(String name, List<Double> values, String unit) {
            double median = Figures.median(values);
            double min = Collections.min(values);
            double max = Collections.max(values);
            print(String.format(Locale.ROOT, "%s: %s %s  [min %s, max %s, n=%d, spread %.0f%%]",
                    name, Figures.format(median), unit, Figures.format(min), Figures.format(max), values.size(), (max - min) / median * 100));
            medians.put(name, median);
        }

        void print(String line) {
            System.out.println(prefix + line);
            System.out.flush();
        }

        void fail(String why) {
            failures.add(why);
            print("FAILED: " + why);
        }
    }

    /** One jexecnet measurement; it reports into the results. */
    private interface Section {
        void run(Results java) throws IOException, InterruptedException;
    }

    /**
     * Runs the comparison and prints it to standard output.
     *
     * @param args none
     * @throws IOException when the temporary directory cannot be made or removed
     * @throws InterruptedException when interrupted while waiting for a script
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        String python = ReferenceScripts.python();
        System.out.println("# command: " + ProcessHandle.current().info().commandLine()
                .orElse("java " + System.getProperty("sun.java.command")));
        System.out.println("# date: " + ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME));
        System.out.println("# java " + System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vm.name")
                + "), " + Runtime.getRuntime().availableProcessors() + " CPUs; load at start: " + loadAverage());
        System.out.println("# reference scripts: " + ReferenceScripts.python("results.py").getParent() + ", python: " + python
                + (QUICK ? "; QUICK: small counts, figures that mean nothing" : ""));
        System.out.println("# workers run from: " + workerClassPath());
        System.out.flush();

        Results java = new Results("jexecnet| ");
        Results reference = new Results("execnet| ");
        Results floors = new Results("floor| ");
        Path work = Files.createTempDirectory("jexecnet-gateway-bench");
        try {
            section(java, "compiling the snippets", GatewayComparison::compileSnippets);
            section(java, "popen gateway", results -> popenGateway(results, floors, work));
            section(java, "8 gateways", GatewayComparison::eightGateways);
            runScript(reference, "startup.py", SCRIPT_TIMEOUT_SECONDS,
                    ReferenceScripts.command("startup.py", Integer.toString(STARTUP_REPS), Integer.toString(GROUP_REPS)));
            section(java, "round trip", GatewayComparison::pingPong);
            runScript(reference, "pingpong.py", SCRIPT_TIMEOUT_SECONDS,
                    ReferenceScripts.command("pingpong.py", Integer.toString(PINGPONG_N), Integer.toString(PINGPONG_REPS)));
            section(java, "one-way small messages", GatewayComparison::oneWay);
            runScript(reference, "oneway.py", SCRIPT_TIMEOUT_SECONDS,
                    ReferenceScripts.command("oneway.py", Integer.toString(ONEWAY_N), Integer.toString(ONEWAY_REPS)));
            section(java, "bulk 1 MiB messages", GatewayComparison::bulk);
            runScript(reference, "bulk.py", SCRIPT_TIMEOUT_SECONDS,
                    ReferenceScripts.command("bulk.py", Integer.toString(BULK_MIB), Integer.toString(BULK_REPS)));
            section(java, "idle worker RSS", GatewayComparison::idleWorkerRss);
            pythonIdleWorkerRss(reference);
            // BUILD: the probes are compiled into this run's own directory, not one that another run may share.
            ProcessBuilder limits = new ProcessBuilder("bash", ReferenceScripts.limits("limits.sh").toString());
            limits.environment().put("BUILD", work.resolve("build").toString());
            if (QUICK) {
                limits.environment().put("QUICK", "1");
            }
            runScript(reference, "limits.sh", LIMITS_TIMEOUT_SECONDS, limits);
        } finally {
            deleteTree(work);
        }
        System.out.println();
        System.out.println("# load at end: " + loadAverage());
        printTable(java, reference, floors);
    }

    /** Runs a jexecnet section; a failure is reported and the run goes on, so the other sections still count. */
    private static void section(Results java, String name, Section section) {
        java.print("## " + name);
        try {
            section.run(java);
        } catch (IOException | RuntimeException e) {
            java.fail(name + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            java.fail(name + ": interrupted");
        }
    }

    /**
     * {@code remoteExec} compiles its source on the master, about a second for a source never seen (then
     * cached in memory and on disk): once here, so that no timing below includes it.
     */
    private static void compileSnippets(Results java) {
        try (Gateway gateway = Execnet.makeGateway("popen")) {
            for (String source : SNIPPETS) {
                gateway.remoteExec(source).close();
            }
        }
        java.print(SNIPPETS.size() + " snippets compiled");
    }

    /** How a measured start is made: a gateway, a gateway from a warm spare, or a bare JVM (the floor). */
    private enum How { GATEWAY, SPARE, BARE_JVM }

    /**
     * A way of starting a popen gateway whose time to first item is measured: a spec, from a warm spare or
     * not; or the floor, a bare child JVM that writes one byte, started by the {@code java} named. Results go
     * under {@code popen.<name>}, the floors under {@code <name>}.
     */
    private record Start(String name, String spec, How how) {}

    /** The floor's child: a JVM that says one byte and waits for its input to end, as the JChild handshake of limits.sh. */
    private static final String FIRST_BYTE = """
            public class FirstByte {
                public static void main(String[] args) throws Exception {
                    System.out.write('1');
                    System.out.flush();
                    while (System.in.read() >= 0) {
                    }
                }
            }
            """;

    /**
     * startup.py's first part: one popen gateway, made, asked for one item, and ended; the first time is a warm-up.
     * The same for the ways of starting one that jexecnet has beside its default, in turns, so that each
     * sees the same load: without a worker archive (a configuration's first start ever), on the second
     * JDK with and without its AOT cache, and from a warm spare ({@code Group.prestart}); and in the same
     * turns the floor, limits.sh's probe: a bare child JVM ({@code -Xshare:auto}, a class of its own in a
     * directory) started and read to its first byte, on each JDK. Every archive is made, and every spare
     * warm, before a measured start: nothing starts in the background meanwhile.
     */
    private static void popenGateway(Results java, Results floors, Path work) throws InterruptedException, IOException {
        String java17 = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path firstByte = Files.createDirectories(work.resolve("first-byte"));
        Files.writeString(firstByte.resolve("FirstByte.java"), FIRST_BYTE);
        if (ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "17", "-d", firstByte.toString(),
                firstByte.resolve("FirstByte.java").toString()) != 0) {
            throw new IllegalStateException("cannot compile the floor's child");
        }
        List<Start> starts = new ArrayList<>(List.of(new Start("makegateway_to_first_item", "popen", How.GATEWAY),
                new Start("first_item.jdk17_no_archive", "popen//archive=off", How.GATEWAY),
                new Start("first_item.from_spare", "popen", How.SPARE),
                new Start(FLOOR_17, java17, How.BARE_JVM)));
        if (Files.isExecutable(Path.of(OTHER_JAVA))) {
            starts.add(new Start("first_item.jdk25_aot_cache", "popen//java=" + OTHER_JAVA, How.GATEWAY));
            starts.add(new Start("first_item.jdk25_no_archive", "popen//java=" + OTHER_JAVA + "//archive=off", How.GATEWAY));
            starts.add(new Start(FLOOR_25, OTHER_JAVA, How.BARE_JVM));
        } else {
            java.print("no second JDK at " + OTHER_JAVA + " (-Djexecnet.otherJava=...): its rows are left out");
        }
        for (Start start : starts) {
            if (start.how() == How.GATEWAY) {
                try (Gateway gateway = Execnet.makeGateway(start.spec())) {
                    expect(1, gateway.remoteExec(SEND_ONE).receive(RECEIVE));
                }
            }
        }
        if (!ArchiveTrainer.awaitIdle(ARCHIVES)) {
            java.fail("the workers' archives were not made within " + ARCHIVES);
        }
        Map<String, List<Double>> firstItem = new HashMap<>();
        Map<String, List<Double>> makeOnly = new HashMap<>();
        List<Double> exitCall = new ArrayList<>();
        List<Double> exitFull = new ArrayList<>();
        try (Group spares = new Group()) {
            spares.prestart("popen", 1);
            for (int i = 0; i <= STARTUP_REPS; i++) {
                for (Start start : starts) {
                    awaitSpare(spares);
                    if (start.how() == How.BARE_JVM) {
                        double millis = bareJvmToFirstByte(start.spec(), firstByte);
                        if (i > 0) {
                            firstItem.computeIfAbsent(start.name(), name -> new ArrayList<>()).add(millis);
                        }
                        continue;
                    }
                    long t0 = System.nanoTime();
                    Gateway gateway = start.how() == How.SPARE ? spares.makeGateway(start.spec()) : Execnet.makeGateway(start.spec());
                    long t1;
                    long t2;
                    long t3;
                    long t4;
                    try {
                        t1 = System.nanoTime();
                        Channel channel = gateway.remoteExec(SEND_ONE);
                        expect(1, channel.receive(RECEIVE));
                        t2 = System.nanoTime();
                        channel.waitClose(RECEIVE);
                        t3 = System.nanoTime();
                        gateway.exit();
                        t4 = System.nanoTime();
                    } finally {
                        // after exit(), close() waits for the process to be reaped (and kills it after ten seconds)
                        gateway.close();
                    }
                    long t5 = System.nanoTime();
                    if (i == 0) {
                        continue;
                    }
                    makeOnly.computeIfAbsent(start.name(), name -> new ArrayList<>()).add(millis(t1 - t0));
                    firstItem.computeIfAbsent(start.name(), name -> new ArrayList<>()).add(millis(t2 - t0));
                    if (start == starts.get(0)) {
                        exitCall.add(millis(t4 - t3));
                        exitFull.add(millis(t5 - t3));
                    }
                }
            }
        }
        java.report("popen.makegateway", makeOnly.get(starts.get(0).name()), "ms");
        for (Start start : starts) {
            if (start.how() == How.BARE_JVM) {
                floors.report(start.name(), firstItem.get(start.name()), "ms");
            } else {
                java.report("popen." + start.name(), firstItem.get(start.name()), "ms");
            }
        }
        java.report("popen.makegateway_from_spare", makeOnly.get("first_item.from_spare"), "ms");
        java.report("popen.exit_call", exitCall, "ms");
        java.report("popen.exit_until_reaped", exitFull, "ms");
    }

    /** The floor (limits.sh's probe): from starting a bare child JVM to its first byte, in ms; then its input is closed and it is reaped. */
    private static double bareJvmToFirstByte(String javaProgram, Path classes) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Process child = new ProcessBuilder(javaProgram, "-Xshare:auto", "-cp", classes.toString(), "FirstByte")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            expect((int) '1', child.getInputStream().read());
            double millis = millis(System.nanoTime() - t0);
            child.getOutputStream().close();
            if (!child.waitFor(RECEIVE.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("the floor's child did not exit");
            }
            return millis;
        } finally {
            child.destroyForcibly();
        }
    }

    /** Waits until the group's spare is warm again: its replacement must not boot beside a measured start. */
    private static void awaitSpare(Group spares) throws InterruptedException {
        if (!spares.awaitSpares("popen", 1, RECEIVE)) {
            throw new IllegalStateException("no warm spare within " + RECEIVE);
        }
    }

    /**
     * startup.py's second part: 8 gateways and one item from each, then terminated. startup.py starts them one after the
     * other, as execnet's {@code makegateway} must; {@code new Group(specs)} starts them side by side.
     */
    private static void eightGateways(Results java) throws InterruptedException {
        List<Double> start = new ArrayList<>();
        List<Double> terminate = new ArrayList<>();
        List<Double> total = new ArrayList<>();
        List<Double> fromSpares = new ArrayList<>();
        List<String> specs = Collections.nCopies(GROUP_SIZE, "popen");
        for (int i = 0; i < GROUP_REPS; i++) {
            long t0 = System.nanoTime();
            Group group = new Group(specs);
            long t1;
            try {
                expect(Collections.nCopies(GROUP_SIZE, 1), group.remoteExec(SEND_ONE).receiveEach(RECEIVE));
                t1 = System.nanoTime();
            } finally {
                group.terminate(TERMINATE);
            }
            long t2 = System.nanoTime();
            start.add(millis(t1 - t0));
            terminate.add(millis(t2 - t1));
            total.add(millis(t2 - t0));
        }
        // The same from eight warm spares: what a test runner that keeps spares sees. The group that keeps them stays, so
        // that only the gateways end in the measured time; the replacements start 100 ms after their spare is taken, and
        // are warm again before the next repetition.
        try (Group spares = new Group()) {
            spares.prestart("popen", GROUP_SIZE);
            for (int i = 0; i < GROUP_REPS; i++) {
                spares.awaitSpares("popen", GROUP_SIZE, RECEIVE); // measured from as many as are warm by then
                long t0 = System.nanoTime();
                List<Gateway> made = new ArrayList<>();
                for (int g = 0; g < GROUP_SIZE; g++) {
                    made.add(spares.makeGateway("popen"));
                }
                List<Channel> channels = new ArrayList<>();
                for (Gateway gateway : made) {
                    channels.add(gateway.remoteExec(SEND_ONE));
                }
                for (Channel channel : channels) {
                    expect(1, channel.receive(RECEIVE));
                }
                for (Gateway gateway : made) {
                    gateway.exit();
                }
                for (Gateway gateway : made) {
                    gateway.close();
                }
                fromSpares.add(millis(System.nanoTime() - t0));
            }
        }
        java.report("group8.start_parallel_and_first_item", start, "ms");
        java.report("group8.terminate", terminate, "ms");
        java.report("group8.total", total, "ms");
        java.report("group8.total_from_spares", fromSpares, "ms");
    }

    /** pingpong.py: the remote echoes each int; round trips to warm up, then repetitions of 10,000. */
    private static void pingPong(Results java) {
        List<Double> roundTrip = new ArrayList<>();
        try (Gateway gateway = Execnet.makeGateway("popen")) {
            Channel channel = gateway.remoteExec(ECHO);
            for (int i = 0; i < JIT_PINGPONG_WARMUP; i++) {
                channel.send(i);
                expect(i, channel.receive(RECEIVE));
            }
            for (int r = 0; r < PINGPONG_REPS; r++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < PINGPONG_N; i++) {
                    channel.send(i);
                    channel.receive(RECEIVE);
                }
                roundTrip.add((System.nanoTime() - t0) / 1e3 / PINGPONG_N);
            }
            channel.close();
            channel.waitClose(RECEIVE);
        }
        java.report("pingpong.round_trip_" + PINGPONG_N / 1000 + "k", roundTrip, "us");
        java.report("pingpong.round_trips_per_s", roundTrip.stream().map(us -> 1e6 / us).toList(), "rt/s");
    }

    /** oneway.py: 200,000 small ints the remote sends, then 200,000 the master sends and the remote counts. */
    private static void oneWay(Results java) {
        List<Double> toMaster = new ArrayList<>();
        List<Double> toRemote = new ArrayList<>();
        try (Gateway gateway = Execnet.makeGateway("popen")) {
            for (int r = 0; r < JIT_WARMUP_REPS + ONEWAY_REPS; r++) {
                Channel channel = gateway.remoteExec(SEND_N);
                long t0 = System.nanoTime();
                channel.send(ONEWAY_N);
                for (int i = 0; i < ONEWAY_N; i++) {
                    channel.receive(RECEIVE);
                }
                long t1 = System.nanoTime();
                channel.waitClose(RECEIVE);
                if (r >= JIT_WARMUP_REPS) {
                    toMaster.add(ONEWAY_N / seconds(t1 - t0));
                }
            }
            for (int r = 0; r < JIT_WARMUP_REPS + ONEWAY_REPS; r++) {
                Channel channel = gateway.remoteExec(COUNT);
                long t0 = System.nanoTime();
                for (int i = 0; i < ONEWAY_N; i++) {
                    channel.send(i);
                }
                channel.send(null);
                expect(ONEWAY_N, channel.receive(RECEIVE));
                long t1 = System.nanoTime();
                channel.waitClose(RECEIVE);
                if (r >= JIT_WARMUP_REPS) {
                    toRemote.add(ONEWAY_N / seconds(t1 - t0));
                }
            }
        }
        java.report("oneway.remote_to_master_" + ONEWAY_N / 1000 + "k_ints", toMaster, "msg/s");
        java.report("oneway.master_to_remote_" + ONEWAY_N / 1000 + "k_ints", toRemote, "msg/s");
    }

    /** bulk.py: 500 byte arrays of 1 MiB to the remote, which answers with their total length, then 500 back. */
    private static void bulk(Results java) {
        byte[] blob = new byte[CHUNK];
        for (int i = 0; i < blob.length; i++) {
            blob[i] = (byte) i;
        }
        long bytes = (long) BULK_MIB * CHUNK;
        List<Double> toRemote = new ArrayList<>();
        List<Double> toMaster = new ArrayList<>();
        try (Gateway gateway = Execnet.makeGateway("popen")) {
            for (int r = 0; r < JIT_WARMUP_REPS + BULK_REPS; r++) {
                Channel channel = gateway.remoteExec(SUM_LENGTHS);
                channel.send(BULK_MIB);
                long t0 = System.nanoTime();
                for (int i = 0; i < BULK_MIB; i++) {
                    channel.send(blob);
                }
                expect(bytes, channel.receive(long.class, RECEIVE));
                long t1 = System.nanoTime();
                channel.waitClose(RECEIVE);
                if (r >= JIT_WARMUP_REPS) {
                    toRemote.add(bytes / MB / seconds(t1 - t0));
                }
            }
            for (int r = 0; r < JIT_WARMUP_REPS + BULK_REPS; r++) {
                Channel channel = gateway.remoteExec(SEND_BLOBS);
                long t0 = System.nanoTime();
                channel.send(BULK_MIB);
                long total = 0;
                for (int i = 0; i < BULK_MIB; i++) {
                    total += channel.receive(byte[].class, RECEIVE).length;
                }
                long t1 = System.nanoTime();
                expect(bytes, total);
                channel.waitClose(RECEIVE);
                if (r >= JIT_WARMUP_REPS) {
                    toMaster.add(bytes / MB / seconds(t1 - t0));
                }
            }
        }
        java.report("bulk.master_to_remote_1MiB_x" + BULK_MIB, toRemote, "MB/s");
        java.report("bulk.remote_to_master_1MiB_x" + BULK_MIB, toMaster, "MB/s");
    }

    /** The resident memory of a worker that is up and has run one remoteExec, the one that tells its pid. */
    private static void idleWorkerRss(Results java) throws IOException {
        for (String spec : List.of("popen", "popen//archive=off")) {
            List<long[]> samples = new ArrayList<>();
            for (int i = 0; i < RSS_REPS; i++) {
                try (Gateway gateway = Execnet.makeGateway(spec)) {
                    Channel channel = gateway.remoteExec(SEND_PID);
                    long pid = channel.receive(long.class, RECEIVE);
                    channel.waitClose(RECEIVE);
                    samples.add(memoryKb(pid));
                }
            }
            reportRss(java, samples, spec.equals("popen") ? "rss.idle_worker" : "rss.idle_worker_no_archive");
        }
    }

    /** VmRSS, RssAnon and RssFile of a process, in kB, from {@code /proc/PID/status}. */
    private static long[] memoryKb(long pid) throws IOException {
        Map<String, Long> fields = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.UTF_8)) {
            String[] words = line.split("\\s+");
            if (words.length == 3 && words[2].equals("kB")) {
                fields.put(words[0], Long.parseLong(words[1]));
            }
        }
        return new long[] {fields.get("VmRSS:"), fields.get("RssAnon:"), fields.get("RssFile:")};
    }

    private static void reportRss(Results results, List<long[]> samples, String name) {
        results.report(name, samples.stream().map(kb -> kb[0] * 1024 / MB).toList(), "MB");
        results.report(name + "_anon", samples.stream().map(kb -> kb[1] * 1024 / MB).toList(), "MB");
        results.report(name + "_file", samples.stream().map(kb -> kb[2] * 1024 / MB).toList(), "MB");
    }

    private static void pythonIdleWorkerRss(Results reference) throws InterruptedException {
        List<String> output = runScript(reference, "idle_worker_rss.py", SCRIPT_TIMEOUT_SECONDS,
                ReferenceScripts.command("idle_worker_rss.py", Integer.toString(RSS_REPS)));
        List<long[]> samples = new ArrayList<>();
        for (String line : output) {
            Matcher rss = RSS_LINE.matcher(line);
            if (rss.matches()) {
                samples.add(new long[] {Long.parseLong(rss.group(1)), Long.parseLong(rss.group(2)), Long.parseLong(rss.group(3))});
            }
        }
        if (samples.isEmpty()) {
            reference.fail("idle worker RSS: no measurement");
        } else {
            reportRss(reference, samples, "rss.idle_worker");
        }
    }

    /**
     * Runs a script, bounded in time, prints its output, and takes the medians of its result lines.
     *
     * @return its output lines, none when it failed
     */
    private static List<String> runScript(Results reference, String name, long timeoutSeconds, ProcessBuilder command)
            throws InterruptedException {
        reference.print("## " + name);
        List<String> output = new ArrayList<>();
        try {
            output.addAll(ReferenceScripts.run(command, timeoutSeconds));
        } catch (IOException | IllegalStateException e) {
            reference.fail(name + ": " + e.getMessage());
        }
        output.forEach(reference::print);
        for (String line : output) {
            Matcher result = RESULT.matcher(line);
            if (result.matches()) {
                reference.medians.put(result.group(1), Double.parseDouble(result.group(2)));
            }
        }
        return output;
    }

    /** How a target is judged: a ratio to execnet's figure, a ratio to the machine's limit, or the figure itself. */
    private enum Basis { EXECNET, LIMIT, ABSOLUTE }

    /** A target: the figure on its basis must be at most the bound where less is better, else at least it. */
    private record Target(String text, Basis basis, double bound) {}

    /** A line of the table: the result's name on each side and in limits.sh, and its target if it has one. */
    private record Row(String label, String unit, String javaName, String pythonName, String limitName, boolean lessIsBetter,
            Target target) {
        Row(String name, String unit, String limitName, boolean lessIsBetter, Target target) {
            this(name, unit, name, name, limitName, lessIsBetter, target);
        }
    }

    private static final String JVM_SPAWN = "java17.spawn_child_jvm_to_first_byte";
    private static final String JVM_REAPED = "java17.child_jvm_close_stdin_to_reaped";
    private static final String JVM_PINGPONG = "java17.pipe_pingpong_child_jvm_8B";
    private static final String JVM_PIPE = "java17.pipe_child_jvm_to_parent_1MiB_writes";

    private static final String JVM25_SPAWN = "java25.spawn_child_jvm_to_first_byte";
    /** The floors measured in turns with the starts (limits.sh's probe, in the same loop), by which the start-up rows are judged. */
    private static final String FLOOR_17 = "floor.java17_spawn_child_jvm_to_first_byte";
    private static final String FLOOR_25 = "floor.java25_spawn_child_jvm_to_first_byte";
    private static final String EXECNET_FIRST_ITEM = "popen.makegateway_to_first_item";

    private static final List<Row> ROWS = List.of(
            new Row(EXECNET_FIRST_ITEM, "ms", FLOOR_17, true, new Target("<= 1.5x floor", Basis.LIMIT, 1.5)),
            new Row("popen.first_item.jdk17_no_archive", "ms", "popen.first_item.jdk17_no_archive", EXECNET_FIRST_ITEM, FLOOR_17,
                    true, null),
            new Row("popen.first_item.jdk25_aot_cache", "ms", "popen.first_item.jdk25_aot_cache", EXECNET_FIRST_ITEM, FLOOR_25,
                    true, new Target("<= 1.0x execnet", Basis.EXECNET, 1.0)),
            new Row("popen.first_item.jdk25_no_archive", "ms", "popen.first_item.jdk25_no_archive", EXECNET_FIRST_ITEM, FLOOR_25,
                    true, null),
            new Row("popen.first_item.from_spare", "ms", "popen.first_item.from_spare", EXECNET_FIRST_ITEM, FLOOR_17, true,
                    new Target("<= 0.2x execnet", Basis.EXECNET, 0.2)),
            new Row("popen.makegateway", "ms", FLOOR_17, true, null),
            new Row("popen.makegateway_from_spare", "ms", "popen.makegateway_from_spare", "popen.makegateway", null, true, null),
            new Row("popen.exit_call", "ms", null, true, null),
            new Row("popen.exit_until_reaped", "ms", JVM_REAPED, true, null),
            new Row("group8.start_and_first_item", "ms", "group8.start_parallel_and_first_item",
                    "group8.start_sequential_and_first_item", null, true, null),
            new Row("group8.terminate", "ms", null, true, null),
            new Row("group8.total", "ms", null, true, new Target("<= 1.0x execnet", Basis.EXECNET, 1.0)),
            new Row("group8.total_from_spares", "ms", "group8.total_from_spares", "group8.total", null, true, null),
            new Row("pingpong.round_trip_" + PINGPONG_N / 1000 + "k", "us", JVM_PINGPONG, true, new Target("<= 0.6x execnet", Basis.EXECNET, 0.6)),
            new Row("oneway.remote_to_master_" + ONEWAY_N / 1000 + "k_ints", "msg/s", null, false, new Target(">= 10x execnet", Basis.EXECNET, 10)),
            new Row("oneway.master_to_remote_" + ONEWAY_N / 1000 + "k_ints", "msg/s", null, false, new Target(">= 10x execnet", Basis.EXECNET, 10)),
            new Row("bulk.master_to_remote_1MiB_x" + BULK_MIB, "MB/s", JVM_PIPE, false, new Target(">= 0.9x JVM pipe", Basis.LIMIT, 0.9)),
            new Row("bulk.remote_to_master_1MiB_x" + BULK_MIB, "MB/s", JVM_PIPE, false, new Target(">= 0.9x JVM pipe", Basis.LIMIT, 0.9)),
            new Row("rss.idle_worker", "MB", null, true, new Target("<= 40 MB", Basis.ABSOLUTE, 40)),
            new Row("rss.idle_worker_no_archive", "MB", "rss.idle_worker_no_archive", "rss.idle_worker", null, true, null));

    /** The machine's limits from limits.sh that bear on the rows, shown under the table. */
    private static final List<String> LIMITS = List.of(FLOOR_17, FLOOR_25,
            "proc.java17_hello_Xshare_auto.wall", "proc.java25_hello_Xshare_auto.wall", "proc.python3_import_execnet.wall",
            JVM_SPAWN, "java17[-XX:TieredStopAtLevel=1,-XX:+UseSerialGC].spawn_child_jvm_to_first_byte",
            JVM25_SPAWN, JVM_REAPED, JVM_PINGPONG, "pinned_1cpu." + JVM_PINGPONG,
            "unpinned.pipe.pingpong.8B", JVM_PIPE, "java25.pipe_child_jvm_to_parent_1MiB_writes",
            "pipe.tput.chunk1048576", "pipe.msgs.one_write_each.size16");

    private static void printTable(Results java, Results reference, Results floors) {
        String columns = "%-34s %-5s %10s %10s %7s %10s %8s  %-17s %s%n";
        System.out.printf(columns, "metric", "unit", "jexecnet", "execnet", "ratio", "limit", "/limit", "target", "");
        int missed = 0;
        for (Row row : ROWS) {
            Double mine = java.medians.get(row.javaName());
            Double theirs = reference.medians.get(row.pythonName());
            Double limit = row.limitName() == null ? null
                    : floors.medians.getOrDefault(row.limitName(), reference.medians.get(row.limitName()));
            Double ratio = mine == null || theirs == null ? null : mine / theirs;
            Double toLimit = mine == null || limit == null ? null : mine / limit;
            String verdict = "";
            if (row.target() != null) {
                Double judged = switch (row.target().basis()) {
                    case EXECNET -> ratio;
                    case LIMIT -> toLimit;
                    case ABSOLUTE -> mine;
                };
                if (judged == null) {
                    verdict = "n/a (not measured)";
                } else if (row.lessIsBetter() ? judged <= row.target().bound() : judged >= row.target().bound()) {
                    verdict = "PASS";
                } else {
                    verdict = "MISS";
                    missed++;
                }
            }
            System.out.printf(Locale.ROOT, columns, row.label(), row.unit(), orDash(mine), orDash(theirs), ratioOrDash(ratio),
                    orDash(limit), ratioOrDash(toLimit), row.target() == null ? "" : row.target().text(), verdict);
        }
        System.out.println("ratio = jexecnet / execnet; /limit = jexecnet / the machine's limit (limits.sh): for ms and us"
                + " below 1 is faster, for MB/s and msg/s above 1 is faster.");
        System.out.println("limits: start-up rows " + FLOOR_17 + " (" + FLOOR_25 + " for the Java 25 rows), measured in turns with"
                + " them; exit " + JVM_REAPED + "; round trip " + JVM_PINGPONG
                + " (unpinned); bulk " + JVM_PIPE + ".");
        System.out.println("group8: jexecnet starts the 8 workers in parallel (new Group(specs)), execnet one after the other.");
        System.out.println("MB = 10^6 bytes; RSS is VmRSS of the worker process, after one remote exec.");
        System.out.println(missed + " target(s) missed.");
        System.out.println();
        System.out.println("machine limits (the floors in turns with the starts, then limits.sh; this run):");
        for (String name : LIMITS) {
            Double value = floors.medians.getOrDefault(name, reference.medians.get(name));
            System.out.printf("  %-80s %s%n", name, orDash(value));
        }
        List<String> failures = new ArrayList<>(java.failures);
        failures.addAll(reference.failures);
        failures.forEach(failure -> System.out.println("FAILED: " + failure));
    }

    private static void expect(Object wanted, Object got) {
        if (!wanted.equals(got)) {
            throw new IllegalStateException("expected " + wanted + ", received " + got);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * Where popen workers take jexecnet from: the jar (or directory) its classes were loaded from here. It bears on
     * their start-up and memory, so the output says which it was.
     */
    private static String workerClassPath() {
        try {
            Path path = Path.of(Gateway.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return path + (Files.isRegularFile(path) ? " (" + Files.size(path) + " bytes)" : "");
        } catch (URISyntaxException | IOException | RuntimeException e) {
            return "unknown (" + e + ")";
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static String orDash(Double value) {
        return value == null ? "-" : Figures.format(value);
    }

    private static String ratioOrDash(Double ratio) {
        return ratio == null ? "-" : String.format(Locale.ROOT, ratio >= 10 ? "%.0fx" : "%.2fx", ratio);
    }
}
