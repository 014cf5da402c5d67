package org.jexecnet.junit.internal;

import java.util.List;

/**
 * A unit of work a worker takes at a time: the tests of one top-level container (a test class), whole
 * or a part of it.
 *
 * @param number the unit's number in its lane, which the worker's answer names
 * @param root the unique id of the top-level container
 * @param selection what the worker selects: the root itself for the whole, else some of its tests
 * @param group the group it belongs to, whose units share a worker when that pays (its package)
 * @param alone how long it is expected to take as the first of its group in a JVM
 * @param after how long it is expected to take after a longer unit of its group in the same JVM
 * @param cpu the CPU seconds its JVM is expected to spend per second it runs, NaN when no run measured it
 * @param afterToMeasure whether its time after a longer unit of its group is unmeasured while its time alone is: a
 *     candidate to keep for its group's owner, so that the run measures it
 */
record Unit(int number, String root, List<String> selection, String group, double alone, double after, double cpu,
        boolean afterToMeasure) {
    Unit {
        selection = List.copyOf(selection);
    }

    boolean isWhole() {
        return selection.equals(List.of(root));
    }

    Unit withAfter(double seconds) {
        return new Unit(number, root, selection, group, alone, seconds, cpu, afterToMeasure);
    }
}
