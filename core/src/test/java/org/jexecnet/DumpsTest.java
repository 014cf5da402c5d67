package org.jexecnet;

import static org.jexecnet.testing.Values.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class DumpsTest {
    record Point(int x, int y) {}

    enum Color { RED }

    @Test
    void everyJavaIntegerTypeIsWrittenAsIntWithinInt32AndAsDecimalBeyond() {
        assertEquals("02460000000751", hex(Execnet.dumps((byte) 7)));
        assertEquals("02460000000751", hex(Execnet.dumps((short) 7)));
        assertEquals("02460000000751", hex(Execnet.dumps(7L)));
        assertEquals("02460000000751", hex(Execnet.dumps(BigInteger.valueOf(7))));
        assertEquals("024680000000" + "51", hex(Execnet.dumps(BigInteger.valueOf(Integer.MIN_VALUE))));
        // Below -2^31 Python cannot write, but it reads the decimal form: we write it.
        byte[] below = Execnet.dumps(-3_000_000_000L);
        assertEquals("02480000000b" + hex("-3000000000".getBytes()) + "51", hex(below));
        assertEquals(-3_000_000_000L, (Long) Execnet.loads(below));
    }

    @Test
    void loadsGivesTheNarrowestIntegerType() {
        assertInstanceOf(Integer.class, Execnet.loads(Execnet.dumps(5L)));
        assertInstanceOf(Long.class, Execnet.loads(Execnet.dumps(1L << 40)));
        assertInstanceOf(Long.class, Execnet.loads(Execnet.dumps(Long.MIN_VALUE)));
        assertInstanceOf(BigInteger.class, Execnet.loads(Execnet.dumps(BigInteger.ONE.shiftLeft(63))));
        assertEquals(BigInteger.ONE.shiftLeft(63).negate().subtract(BigInteger.ONE),
                Execnet.loads(Execnet.dumps(BigInteger.ONE.shiftLeft(63).negate().subtract(BigInteger.ONE))));
    }

    @Test
    void floatIsWrittenAsDoubleAndNanKeepsItsBits() {
        assertEquals("02443ff800000000000051", hex(Execnet.dumps(1.5f)));
        double negativeNan = Double.longBitsToDouble(0xfff8000000000000L);
        assertEquals("0244fff800000000000051", hex(Execnet.dumps(negativeNan)));
    }

    @Test
    void anyListMapAndSetImplementationIsAccepted() {
        assertEquals(hex(Execnet.dumps(new ArrayList<>(List.of(1, 2)))), hex(Execnet.dumps(List.of(1, 2))));
        assertEquals(hex(Execnet.dumps(new LinkedHashMap<>(Map.of("a", 1)))), hex(Execnet.dumps(Map.of("a", 1))));
        assertEquals("0246000000014600000002" + "4f0000000251", hex(Execnet.dumps(new TreeSet<>(Set.of(2, 1)))));
    }

    @Test
    void anUnsupportedTypeIsRefusedWithItsNameAndPath() {
        DumpException e = assertThrows(DumpException.class,
                () -> Execnet.dumps(List.of(0, 1, 2, Map.of("key", new Object()))));
        assertEquals("value[3][\"key\"]", e.path());
        assertTrue(e.getMessage().startsWith("value[3][\"key\"]: cannot serialize java.lang.Object"), e.getMessage());
    }

    @Test
    void aRecordIsWrittenAsTheDictOfItsComponentsAndAnEnumAsItsName() {
        Map<String, Object> components = new LinkedHashMap<>();
        components.put("x", 1);
        components.put("y", 2);
        assertEquals(hex(Execnet.dumps(components)), hex(Execnet.dumps(new Point(1, 2))));
        assertEquals(hex(Execnet.dumps(List.of("RED"))), hex(Execnet.dumps(List.of(Color.RED))));
        DumpException key = assertThrows(DumpException.class, () -> Execnet.dumps(Map.of(new Point(1, 2), "corner")));
        assertTrue(key.getMessage().contains("a record (sent as a Python dict) is not"), key.getMessage());
    }

    @Test
    void arraysAndCharsAreRefusedWithAHint() {
        assertTrue(assertThrows(DumpException.class, () -> Execnet.dumps(new int[] {1})).getMessage()
                .contains("send other arrays as a List"));
        assertTrue(assertThrows(DumpException.class, () -> Execnet.dumps('c')).getMessage()
                .contains("one-character String"));
    }

    @Test
    void setElementsAndDictionaryKeysMustBeHashableInPython() {
        DumpException inSet = assertThrows(DumpException.class, () -> Execnet.dumps(Set.of(List.of(1))));
        assertEquals("value{#0}", inSet.path());
        DumpException inKey = assertThrows(DumpException.class,
                () -> Execnet.dumps(Map.of("ok", 1, Tuple.of(1, Set.of()), 2).entrySet().stream()
                        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue,
                                (a, b) -> a, LinkedHashMap::new))));
        assertTrue(inKey.getMessage().contains("a tuple holding a Set (Python set) is not"), inKey.getMessage());
        // Tuples and frozensets of hashable items are fine as keys, as in Python.
        Execnet.dumps(Map.of(Tuple.of(1, FrozenSet.of("a")), 1));
    }

    @Test
    void aStringWithALoneSurrogateIsRefusedButQuestionMarksAndPairsAreFine() {
        DumpException e = assertThrows(DumpException.class, () -> Execnet.dumps(List.of("ok", "bad\udc00")));
        assertEquals("value[1]", e.path());
        assertTrue(e.getMessage().contains("lone surrogate U+DC00 at index 3"), e.getMessage());
        assertEquals("what? \ud83d\ude00", Execnet.loads(Execnet.dumps("what? \ud83d\ude00")));
    }

    @Test
    void aCyclicValueIsRefusedNotAStackOverflow() {
        List<Object> cycle = new ArrayList<>();
        cycle.add(cycle);
        DumpException e = assertThrows(DumpException.class, () -> Execnet.dumps(cycle));
        assertTrue(e.getMessage().contains("nest deeper than 1000 levels"), e.getMessage());
        assertTrue(e.path().length() < 200, "a deep path is shortened: " + e.path());
    }

    @Test
    void integersBeyondPythonsDigitLimitAreRefused() {
        Execnet.dumps(BigInteger.TEN.pow(4299));
        DumpException e = assertThrows(DumpException.class, () -> Execnet.dumps(BigInteger.TEN.pow(4300)));
        assertTrue(e.getMessage().contains("more than 4300 decimal digits"), e.getMessage());
    }

    @Test
    void onlyFormatVersionsOneAndTwoExist() {
        assertEquals("014c51", hex(Execnet.dumps(null, 1)));
        assertEquals("024c51", hex(Execnet.dumps(null, 2)));
        assertThrows(IllegalArgumentException.class, () -> Execnet.dumps(null, 3));
    }
}
