package org.jexecnet.junit.internal;

import java.util.List;

/**
 * A unit of work a worker takes at a time: the tests of one top-level container (a test class), whole
 * or a part of it.
 *
 * @param number the unit's number in its lane, which the worker's answer names
 * @param root the unique id of the top-level container
 * @param selection what the worker selects: the root itself for the whole, else some of its tests
 * @param seconds how long it is expected to take, for the order
 */
record Unit(int number, String root, List<String> selection, double seconds) {
    Unit {
        selection = List.copyOf(selection);
    }

    boolean isWhole() {
        return selection.equals(List.of(root));
    }
}
