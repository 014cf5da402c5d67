package org.jexecnet;

import java.util.AbstractList;
import java.util.Collection;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * An immutable, ordered sequence: Python's {@code tuple}, which Java lacks.
 *
 * <p>A tuple is a {@link java.util.List} that cannot change. It may hold {@code null} (Python's
 * {@code None}). As every list, it equals any list with equal elements in the same order; the
 * serializer is what tells the two apart, writing a {@code Tuple} as a tuple and any other list as a
 * list.
 *
 * <pre>{@code
 * Tuple point = Tuple.of(3, 4);
 * byte[] bytes = Execnet.dumps(Map.of(point, "corner"));   // {(3, 4): 'corner'} in Python
 * }</pre>
 */
public final class Tuple extends AbstractList<Object> implements RandomAccess {
    private static final Tuple EMPTY = new Tuple(new Object[0]);

    private final Object[] items;

    private Tuple(Object[] items) {
        this.items = items;
    }

    /**
     * Returns a tuple of the given items, in order.
     *
     * @param items the items; {@code null} elements are allowed
     * @return the tuple
     */
    public static Tuple of(Object... items) {
        return items.length == 0 ? EMPTY : new Tuple(items.clone());
    }

    /**
     * Returns a tuple of a collection's items, in its iteration order.
     *
     * @param items the items; {@code null} elements are allowed
     * @return the tuple ({@code items} itself when it already is one)
     */
    public static Tuple copyOf(Collection<?> items) {
        if (items instanceof Tuple tuple) {
            return tuple;
        }
        Object[] array = items.toArray();
        return array.length == 0 ? EMPTY : new Tuple(array);
    }

    @Override
    public Object get(int index) {
        Objects.checkIndex(index, items.length);
        return items[index];
    }

    @Override
    public int size() {
        return items.length;
    }

    /**
     * The {@link java.util.List#hashCode()} of the items, computed without an iterator: nested tuples
     * are hashed at every level when they become set elements or keys, and that must not allocate.
     */
    @Override
    public int hashCode() {
        int hash = 1;
        for (Object item : items) {
            hash = 31 * hash + (item == null ? 0 : item.hashCode());
        }
        return hash;
    }

    @Override
    public Object[] toArray() {
        return items.clone();
    }

    /**
     * Python's notation: {@code (1, 'a')}, {@code (1,)} and {@code ()}.
     */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("(");
        for (int i = 0; i < items.length; i++) {
            if (i > 0) {
                text.append(", ");
            }
            text.append(items[i]);
        }
        return text.append(items.length == 1 ? ",)" : ")").toString();
    }
}
