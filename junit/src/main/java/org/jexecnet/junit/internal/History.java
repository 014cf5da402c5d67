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

/**
 * What earlier runs left in the history directory, as pytest's cache does: how long test classes (and
 * the tests of long ones) took, which orders the next run longest first, and which tests failed last,
 * which {@code --last-failed} runs again. Two small text files, {@code durations.tsv} (seconds, a tab,
 * a unique id) and {@code last-failed.txt} (a unique id a line). A file that is missing or garbled
 * only loses what it would have told: the run goes on in the order of a first run.
 */
final class History {
    static final String DURATIONS = "durations.tsv";
    static final String LAST_FAILED = "last-failed.txt";

    private final Map<String, Double> seconds;
    private final Set<String> lastFailed;

    private History(Map<String, Double> seconds, Set<String> lastFailed) {
        this.seconds = seconds;
        this.lastFailed = lastFailed;
    }

    static History none() {
        return new History(new HashMap<>(), new LinkedHashSet<>());
    }

    static History read(Path dir) {
        Map<String, Double> seconds = new HashMap<>();
        for (String line : lines(dir.resolve(DURATIONS))) {
            int tab = line.indexOf('\t');
            try {
                double value = Double.parseDouble(line.substring(0, Math.max(0, tab)));
                if (value >= 0 && Double.isFinite(value)) {
                    seconds.put(line.substring(tab + 1), value);
                }
            } catch (NumberFormatException garbled) {
                // a line that says nothing usable is left out
            }
        }
        Set<String> failed = new LinkedHashSet<>();
        for (String line : lines(dir.resolve(LAST_FAILED))) {
            if (!line.isBlank()) {
                failed.add(line.strip());
            }
        }
        return new History(seconds, failed);
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

    Set<String> lastFailed() {
        return lastFailed;
    }

    /**
     * Writes what this run learned over what earlier runs knew: new durations replace old ones, and the
     * failed set loses what ran again and gains what failed now.
     *
     * @param durations seconds by unique id, measured on the workers
     * @param ran the unique ids that ran (finished or were skipped)
     * @param failed the unique ids that failed
     */
    void update(Path dir, Map<String, Double> durations, Collection<String> ran, Collection<String> failed) throws IOException {
        seconds.putAll(durations);
        lastFailed.removeAll(ran);
        lastFailed.addAll(failed);
        Files.createDirectories(dir);
        List<String> lines = new ArrayList<>();
        seconds.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> lines.add(String.format(Locale.ROOT, "%.3f\t%s", e.getValue(), e.getKey())));
        write(dir.resolve(DURATIONS), lines);
        write(dir.resolve(LAST_FAILED), new ArrayList<>(lastFailed));
    }

    /** Replaces a file whole, so that a run stopped half-way leaves the old one or the new one. */
    private static void write(Path file, List<String> lines) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(temp, lines, StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
