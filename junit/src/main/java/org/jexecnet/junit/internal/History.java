package org.jexecnet.junit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What earlier runs left in the history directory, as pytest's cache does: how long test classes (and
 * the tests of long ones) took, which orders the next run longest first; how long a class took alone
 * and after a longer class of its package in the same JVM, by which the next run keeps classes that
 * share a warm-up together, and how busy it kept its JVM's processors, by which the next run starts
 * first what mostly waits; and which tests failed last, which {@code --last-failed} runs again. Three
 * small text files: {@code durations.tsv} (seconds, a tab, a unique id), {@code locality.tsv} (seconds
 * alone, seconds after, CPU seconds per second, a unique id, tab-separated; {@code -} for what no run
 * measured) and
 * {@code last-failed.txt} (a unique id a line). A file that is missing or garbled only loses what it
 * would have told: the run goes on in the order of a first run.
 */
final class History {
    static final String DURATIONS = "durations.tsv";
    static final String LOCALITY = "locality.tsv";
    static final String LAST_FAILED = "last-failed.txt";
    private static final String UNMEASURED = "-";

    private final Map<String, Double> seconds;
    private final Locality locality;
    private final Set<String> lastFailed;

    private History(Map<String, Double> seconds, Locality locality, Set<String> lastFailed) {
        this.seconds = seconds;
        this.locality = locality;
        this.lastFailed = lastFailed;
    }

    static History none() {
        return new History(new HashMap<>(), Locality.empty(), new LinkedHashSet<>());
    }

    static History read(Path dir) {
        Map<String, Double> seconds = new HashMap<>();
        for (String line : lines(dir.resolve(DURATIONS))) {
            int tab = line.indexOf('\t');
            Double value = parse(line.substring(0, Math.max(0, tab)));
            if (value != null) {
                seconds.put(line.substring(tab + 1), value);
            }
        }
        Locality locality = Locality.empty();
        for (String line : lines(dir.resolve(LOCALITY))) {
            String[] fields = line.split("\t", 4);
            if (fields.length == 4) {
                putMeasured(locality.alone(), fields[3], parse(fields[0]));
                putMeasured(locality.after(), fields[3], parse(fields[1]));
                putMeasured(locality.cpu(), fields[3], parse(fields[2]));
            }
        }
        Set<String> failed = new LinkedHashSet<>();
        for (String line : lines(dir.resolve(LAST_FAILED))) {
            if (!line.isBlank()) {
                failed.add(line.strip());
            }
        }
        return new History(seconds, locality, failed);
    }

    /** A duration as written, or null when it is unmeasured or not a usable number (a garbled line says nothing). */
    private static Double parse(String text) {
        try {
            double value = Double.parseDouble(text);
            return value >= 0 && Double.isFinite(value) ? value : null;
        } catch (NumberFormatException unmeasuredOrGarbled) {
            return null;
        }
    }

    private static void putMeasured(Map<String, Double> into, String uniqueId, Double value) {
        if (value != null) {
            into.put(uniqueId, value);
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException | UncheckedIOException missingOrUnreadable) {
            return List.of();
        }
    }

    /** How long a test or container took last time it ran, or null when no run measured it. */
    Double seconds(String uniqueId) {
        return seconds.get(uniqueId);
    }

    /** How long a class took as the first of its package in its JVM (or after only shorter ones), or null. */
    Double alone(String uniqueId) {
        return locality.alone().get(uniqueId);
    }

    /** How long a class took after a longer class of its package in the same JVM, or null. */
    Double after(String uniqueId) {
        return locality.after().get(uniqueId);
    }

    /** The CPU seconds a class's JVM spent per second it ran, last time it ran whole, or null. */
    Double cpu(String uniqueId) {
        return locality.cpu().get(uniqueId);
    }

    Set<String> lastFailed() {
        return lastFailed;
    }

    /**
     * Writes what this run learned over what earlier runs knew: new durations replace old ones, and the
     * failed set loses what ran again and gains what failed now.
     *
     * @param durations seconds by unique id, measured on the workers
     * @param measured the classes' times alone and after a longer one of their package, and their CPU, as this run
     *     measured them
     * @param ran the unique ids that ran (finished or were skipped)
     * @param failed the unique ids that failed
     */
    void update(Path dir, Map<String, Double> durations, Locality measured, Collection<String> ran, Collection<String> failed)
            throws IOException {
        seconds.putAll(durations);
        locality.putAll(measured);
        lastFailed.removeAll(ran);
        lastFailed.addAll(failed);
        Files.createDirectories(dir);
        List<String> lines = new ArrayList<>();
        seconds.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> lines.add(String.format(Locale.ROOT, "%.3f\t%s", e.getValue(), e.getKey())));
        write(dir.resolve(DURATIONS), lines);
        List<String> localityLines = new ArrayList<>();
        Set<String> classes = new TreeSet<>(locality.alone().keySet());
        classes.addAll(locality.after().keySet());
        classes.addAll(locality.cpu().keySet());
        for (String uid : classes) {
            localityLines.add(format(alone(uid)) + "\t" + format(after(uid)) + "\t" + format(cpu(uid)) + "\t" + uid);
        }
        write(dir.resolve(LOCALITY), localityLines);
        write(dir.resolve(LAST_FAILED), new ArrayList<>(lastFailed));
    }

    private static String format(Double seconds) {
        return seconds == null ? UNMEASURED : String.format(Locale.ROOT, "%.3f", seconds);
    }

    /**
     * What a run measured of its classes' locality.
     *
     * @param alone seconds of classes that ran first of their package in their JVM, or after only shorter ones
     * @param after seconds of classes that ran after a longer class of their package in the same JVM
     * @param cpu the CPU seconds a class's JVM spent per second it ran
     */
    record Locality(Map<String, Double> alone, Map<String, Double> after, Map<String, Double> cpu) {
        static final Locality NONE = new Locality(Map.of(), Map.of(), Map.of());

        /** One to fill. */
        static Locality empty() {
            return new Locality(new HashMap<>(), new HashMap<>(), new HashMap<>());
        }

        /** Takes what another measured, its values over these. */
        void putAll(Locality other) {
            alone.putAll(other.alone());
            after.putAll(other.after());
            cpu.putAll(other.cpu());
        }
    }

    /** Replaces a file whole, so that a run stopped half-way leaves the old one or the new one. */
    private static void write(Path file, List<String> lines) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(temp, lines, StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
