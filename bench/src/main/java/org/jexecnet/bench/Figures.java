package org.jexecnet.bench;

import java.util.List;
import java.util.Locale;

/** Medians and number formatting as the Python reference scripts do them, so that both sides compare alike. */
final class Figures {
    private Figures() {}

    /** As Python's {@code statistics.median}. */
    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /** The scripts' number format (common.py), so that equal figures print alike on both sides. */
    static String format(double value) {
        double magnitude = Math.abs(value);
        String pattern = magnitude >= 100 ? "%.0f" : magnitude >= 10 ? "%.1f" : "%.3g";
        return String.format(Locale.ROOT, pattern, value);
    }
}
