package org.jexecnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ValueTypesTest {

    @Test
    void tupleIsAnImmutableListWithValueEqualityAndPythonNotation() {
        Object[] items = {1, null, "a"};
        Tuple tuple = Tuple.of(items);
        items[0] = 99;
        assertEquals(Arrays.asList(1, null, "a"), tuple, "a copy of the items, equal to any list with them");
        assertEquals(Tuple.of(1, null, "a").hashCode(), tuple.hashCode());
        assertEquals(Arrays.asList(1, null, "a").hashCode(), tuple.hashCode(), "the List contract's hash");
        assertThrows(UnsupportedOperationException.class, () -> tuple.add(2));
        assertThrows(UnsupportedOperationException.class, () -> tuple.set(0, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> tuple.get(3));
        assertEquals("(1, null, a)", tuple.toString());
        assertEquals("(1,)", Tuple.of(1).toString());
        assertEquals("()", Tuple.of().toString());
        assertSame(tuple, Tuple.copyOf(tuple));
    }

    @Test
    void frozenSetIsAnImmutableSetInGivenOrder() {
        List<Object> source = new ArrayList<>(List.of(3, 1, 2, 1));
        FrozenSet set = FrozenSet.copyOf(source);
        source.clear();
        assertEquals(List.of(3, 1, 2), new ArrayList<>(set), "first-seen order, duplicates dropped");
        assertEquals(Set.of(1, 2, 3), set);
        assertEquals(Set.of(1, 2, 3).hashCode(), set.hashCode());
        assertThrows(UnsupportedOperationException.class, () -> set.add(4));
        assertThrows(UnsupportedOperationException.class, () -> set.iterator().remove());
        assertEquals("frozenset({3, 1, 2})", set.toString());
        assertEquals("frozenset()", FrozenSet.of().toString());
    }

    @Test
    void complexComparesItsPartsAsTheirBitsDo() {
        assertEquals(new Complex(1, 2), new Complex(1, 2));
        assertEquals(new Complex(Double.NaN, 0), new Complex(Double.NaN, 0));
        assertNotEquals(new Complex(0.0, 1), new Complex(-0.0, 1));
        assertEquals("(1.0+2.0j)", new Complex(1, 2).toString());
        assertEquals("(1.0-0.0j)", new Complex(1, -0.0).toString());
    }
}
