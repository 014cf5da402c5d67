package org.jexecnet.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jexecnet.Gateway;
import org.jexecnet.Group;
import org.jexecnet.RSync;

/**
 * jexecnet's RSync against the {@code rsync -a} command and Python execnet's RSync, in the same run, on
 * the tree of {@code bench/python/rsync_tree.py}: 5,000 files of 1-4 KiB in 100 directories and five of 20 MiB (117 MB),
 * on tmpfs. Each repetition: full sync into an empty destination, no-change resync, 1% touched (50 small
 * files get a new mtime, same content), 1% modified (50 small files rewritten, same size), interleaved
 * with {@code rsync -a} doing the same. Then a 100 MB file of which 1 MiB changes: jexecnet (delta),
 * execnet's RSync (sends it whole), {@code rsync -a} (local copies send whole files), {@code rsync -a
 * --no-whole-file} (delta). Python
 * execnet's figures come from running {@code rsync_tree.py} itself in the same run. jexecnet's measured
 * syncs come after {@link #WARMUP} unmeasured ones, for the JIT on both ends.
 *
 * <p>Usage, from the repository's root: {@code java -cp jexecnet.jar:jexecnet-bench.jar
 * org.jexecnet.bench.RSyncComparison [REPS]}; {@code bench/run-rsync.sh} builds and runs it.
 */
public final class RSyncComparison {
    private static final Path BASE = Path.of("/dev/shm/jexecnet-bench-rsync");
    /** Full and no-change syncs before the measured ones, for the JIT. */
    private static final int WARMUP = 2;

    public static void main(String[] args) throws Exception {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Map<String, List<Double>> results = new LinkedHashMap<>();
        deleteTree(BASE);
        Path source = BASE.resolve("src");
        List<Path> small = generate(source);
        try (Group group = new Group("popen")) {
            Gateway gw = group.get(0);
            Path mine = BASE.resolve("dst_jexecnet");
            Path theirs = BASE.resolve("dst_rsync");
            Random random = new Random(42);
            // Unmeasured: the JIT compiles RSync's paths on both ends during the first syncs (Python needs no warm-up).
            for (int warm = 0; warm < WARMUP; warm++) {
                deleteTree(mine);
                new RSync(source).addTarget(gw, mine.toString()).send();
                new RSync(source).addTarget(gw, mine.toString()).send();
            }
            for (int rep = 0; rep < reps; rep++) {
                deleteTree(mine);
                deleteTree(theirs);
                step(results, "full", gw, source, mine, theirs);
                step(results, "nochange", gw, source, mine, theirs);
                FileTime time = FileTime.fromMillis(1_600_000_000_000L + rep * 1_000_000L);
                for (int i = rep; i < small.size() && i < rep + 5000; i += 100) {
                    Files.setLastModifiedTime(small.get(i), time);
                }
                step(results, "touch1%", gw, source, mine, theirs);
                for (int i = rep + 50; i < small.size(); i += 100) {
                    byte[] bytes = new byte[(int) Files.size(small.get(i))];
                    random.nextBytes(bytes);
                    Files.write(small.get(i), bytes);
                }
                step(results, "modify1%", gw, source, mine, theirs);
                System.err.println("rep " + (rep + 1) + " of " + reps + " done");
            }
            check(source, mine);
            check(source, theirs);
            deleteTree(BASE);
            bigFile(results, gw, reps);
        }
        deleteTree(BASE);
        Map<String, Double> execnet = execnet(reps);
        print(results, execnet);
    }

    private static void step(Map<String, List<Double>> results, String name, Gateway gw, Path source, Path mine, Path theirs)
            throws Exception {
        long start = System.nanoTime();
        new RSync(source).addTarget(gw, mine.toString()).send();
        results.computeIfAbsent("jexecnet " + name, k -> new ArrayList<>()).add((System.nanoTime() - start) / 1e6);
        results.computeIfAbsent("rsync -a " + name, k -> new ArrayList<>()).add(rsync(source, theirs));
    }

    private static double rsync(Path source, Path dest, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("rsync", "-a"));
        command.addAll(List.of(options));
        command.addAll(List.of(source + "/", dest + "/"));
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).inheritIO().start();
        if (!process.waitFor(300, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("rsync failed");
        }
        return (System.nanoTime() - start) / 1e6;
    }

    /** rsync_tree.py's tree: 100 directories of 50 files of 1-4 KiB, and five files of 20 MiB. */
    private static List<Path> generate(Path source) throws IOException {
        Random random = new Random(42);
        List<Path> small = new ArrayList<>();
        for (int d = 0; d < 100; d++) {
            Path dir = Files.createDirectories(source.resolve(String.format("dir%03d", d)));
            for (int f = 0; f < 50; f++) {
                byte[] bytes = new byte[1024 + random.nextInt(3073)];
                random.nextBytes(bytes);
                small.add(Files.write(dir.resolve(String.format("file%02d.txt", f)), bytes));
            }
        }
        for (int b = 0; b < 5; b++) {
            byte[] bytes = new byte[20 << 20];
            random.nextBytes(bytes);
            Files.write(source.resolve("big" + b + ".bin"), bytes);
        }
        return small;
    }

    /** A 100 MB file, synced, then 1 MiB of it changed and synced again: the changed sync is timed. */
    private static void bigFile(Map<String, List<Double>> results, Gateway gw, int reps) throws Exception {
        Path source = BASE.resolve("bigsrc");
        Files.createDirectories(source);
        Random random = new Random(9);
        byte[] content = new byte[100_000_000];
        random.nextBytes(content);
        Path file = Files.write(source.resolve("big.bin"), content);
        Path mine = BASE.resolve("big_jexecnet");
        Path whole = BASE.resolve("big_rsync");
        Path delta = BASE.resolve("big_rsync_delta");
        Path theirs = BASE.resolve("big_execnet");
        new RSync(source).addTarget(gw, mine.toString()).send();
        rsync(source, whole);
        rsync(source, delta);
        execnetOnce(source, theirs);
        for (int rep = -WARMUP; rep < reps; rep++) {
            byte[] change = new byte[1 << 20];
            random.nextBytes(change);
            System.arraycopy(change, 0, content, 20_000_000 + rep * 7_000_000, change.length);
            Files.write(file, content);
            long start = System.nanoTime();
            new RSync(source).addTarget(gw, mine.toString()).send();
            double millis = (System.nanoTime() - start) / 1e6;
            if (rep < 0) {
                rsync(source, whole);
                rsync(source, delta, "--no-whole-file");
                execnetOnce(source, theirs);
                continue;
            }
            results.computeIfAbsent("jexecnet 100MB, 1MiB changed", k -> new ArrayList<>()).add(millis);
            results.computeIfAbsent("execnet RSync 100MB, 1MiB changed", k -> new ArrayList<>()).add(execnetOnce(source, theirs));
            results.computeIfAbsent("rsync -a 100MB, 1MiB changed", k -> new ArrayList<>()).add(rsync(source, whole));
            results.computeIfAbsent("rsync -a --no-whole-file 100MB, 1MiB changed", k -> new ArrayList<>())
                    .add(rsync(source, delta, "--no-whole-file"));
        }
        check(source, mine);
    }

    /** Python execnet's RSync of the directory, once, over a fresh popen gateway: the send's milliseconds. */
    private static double execnetOnce(Path source, Path dest) throws Exception {
        Process process = ReferenceScripts.command("rsync_once.py", source.toString(), dest.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!process.waitFor(300, TimeUnit.SECONDS) || process.exitValue() != 0 || !out.startsWith("send_ms ")) {
            throw new IllegalStateException("execnet's RSync failed: " + out);
        }
        return Double.parseDouble(out.substring(8).strip());
    }

    private static Map<String, Double> execnet(int reps) throws Exception {
        Map<String, Double> medians = new LinkedHashMap<>();
        Process process = ReferenceScripts.command("rsync_tree.py", String.valueOf(reps), BASE + "-execnet")
                .redirectErrorStream(true).start();
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream()))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                System.err.println("rsync_tree.py| " + line);
                String[] words = line.split("\\s+");
                if (words.length >= 3 && words[0].startsWith("rsync.") && words[0].endsWith(":")) {
                    medians.put(words[0].substring(0, words[0].length() - 1), Double.parseDouble(words[1]));
                }
            }
        }
        if (!process.waitFor(600, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("rsync_tree.py failed");
        }
        return medians;
    }

    private static void print(Map<String, List<Double>> results, Map<String, Double> execnet) {
        System.out.printf("%-46s %10s %4s %12s %12s%n", "sync", "median ms", "n", "/ rsync -a", "execnet ms");
        for (String step : List.of("full", "nochange", "touch1%", "modify1%")) {
            double mine = Figures.median(results.get("jexecnet " + step));
            double rsync = Figures.median(results.get("rsync -a " + step));
            String key = "rsync.execnet." + step.replace("1%", "");
            System.out.printf("%-46s %10s %4d %12s %12s%n", "jexecnet " + step, Figures.format(mine), results.get("jexecnet " + step).size(),
                    Figures.format(mine / rsync) + "x", execnet.containsKey(key) ? Figures.format(execnet.get(key)) : "-");
            System.out.printf("%-46s %10s %4d %12s %12s%n", "rsync -a " + step, Figures.format(rsync), results.get("rsync -a " + step).size(),
                    "1.00x", execnet.containsKey(key.replace("execnet", "rsync_a")) ? Figures.format(execnet.get(key.replace("execnet", "rsync_a"))) : "-");
        }
        double whole = Figures.median(results.get("rsync -a 100MB, 1MiB changed"));
        for (String name : List.of("jexecnet 100MB, 1MiB changed", "execnet RSync 100MB, 1MiB changed", "rsync -a 100MB, 1MiB changed",
                "rsync -a --no-whole-file 100MB, 1MiB changed")) {
            double median = Figures.median(results.get(name));
            System.out.printf("%-46s %10s %4d %12s %12s%n", name, Figures.format(median), results.get(name).size(),
                    Figures.format(median / whole) + "x", "-");
        }
        System.out.println("execnet (rsync_tree.py, same run): " + execnet);
    }

    private static void check(Path source, Path dest) throws Exception {
        Process diff = new ProcessBuilder("diff", "-rq", source.toString(), dest.toString()).inheritIO().start();
        if (!diff.waitFor(120, TimeUnit.SECONDS) || diff.exitValue() != 0) {
            throw new IllegalStateException(dest + " differs from " + source);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

}
