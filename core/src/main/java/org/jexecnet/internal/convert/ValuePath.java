package org.jexecnet.internal.convert;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Where a place sits inside a value, as error messages show it: {@code value[3]["key"].x}. Collected
 * from the inside out, as a failure travels up through the containers around it.
 */
public final class ValuePath {
    private final Deque<String> segments = new ArrayDeque<>();

    /** Adds the segment of the container one level further out. */
    public void addOuter(String segment) {
        segments.addFirst(segment);
    }

    /** The path from the value's root; a very deep one keeps its two ends, which are what tell. */
    @Override
    public String toString() {
        List<String> all = List.copyOf(segments);
        if (all.size() <= 16) {
            return "value" + String.join("", all);
        }
        return "value" + String.join("", all.subList(0, 8)) + "...(" + (all.size() - 16) + " levels)..."
                + String.join("", all.subList(all.size() - 8, all.size()));
    }
}
