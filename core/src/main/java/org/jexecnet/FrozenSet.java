package org.jexecnet;

import java.util.AbstractSet;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * An immutable set: Python's {@code frozenset}, which Java lacks.
 *
 * <p>Iteration follows the order the items were given in (for a loaded value: the order they were
 * read), so that loading bytes and dumping them again reproduces the same bytes. As every set, it
 * equals any set with the same elements; the serializer is what tells the two apart, writing a
 * {@code FrozenSet} as a frozenset and any other set as a set.
 *
 * <pre>{@code
 * FrozenSet tags = FrozenSet.of("fast", "small");
 * }</pre>
 */
public final class FrozenSet extends AbstractSet<Object> {
    private static final FrozenSet EMPTY = new FrozenSet(Collections.emptySet());

    private final Set<Object> items;
    /** Cached, as Python caches a frozenset's hash: nested frozensets would otherwise rehash every level. */
    private int hash;

    private FrozenSet(Set<Object> items) {
        this.items = items;
    }

    /**
     * Returns a frozen set of the given items; a repeated item is kept once, at its first place.
     *
     * @param items the items; {@code null} is allowed
     * @return the frozen set
     */
    public static FrozenSet of(Object... items) {
        return copyOf(java.util.Arrays.asList(items));
    }

    /**
     * Returns a frozen set of a collection's items, in its iteration order.
     *
     * @param items the items; {@code null} is allowed
     * @return the frozen set ({@code items} itself when it already is one)
     */
    public static FrozenSet copyOf(Collection<?> items) {
        if (items instanceof FrozenSet frozen) {
            return frozen;
        }
        return items.isEmpty() ? EMPTY : new FrozenSet(new LinkedHashSet<>(items));
    }

    @Override
    public Iterator<Object> iterator() {
        return Collections.unmodifiableSet(items).iterator();
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public boolean contains(Object item) {
        return items.contains(item);
    }

    /**
     * The {@link java.util.Set#hashCode()} of the items, computed once: the items must not change
     * their hash codes, which the set itself already requires.
     */
    @Override
    public int hashCode() {
        // String's racy single-check idiom: one int field is published whole; 0 just means compute again.
        int h = hash;
        if (h == 0) {
            h = items.hashCode();
            hash = h;
        }
        return h;
    }

    /**
     * Python's notation: {@code frozenset({1, 2})} and {@code frozenset()}.
     */
    @Override
    public String toString() {
        if (items.isEmpty()) {
            return "frozenset()";
        }
        String inner = items.toString();
        return "frozenset({" + inner.substring(1, inner.length() - 1) + "})";
    }
}
