package org.jexecnet.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.jexecnet.Channel;
import org.jexecnet.Execnet;
import org.jexecnet.FrozenSet;
import org.jexecnet.Group;
import org.jexecnet.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * execnet's testing/test_serializer.py, translated. execnet dumps a Python value in one child
 * interpreter and loads it in another, checking type and repr; here Python execnet dumps it, jexecnet
 * loads it (and the Java type is checked), dumps it again, and Python execnet loads that: the repr
 * and type Python sees must be what it started with. The bytes travel as channel items, which are
 * execnet's dumps_internal form.
 */
@ExtendWith(Gateways.class)
class ExecnetSerializerTest {
    static final Duration T = ExecnetChannelTest.T;

    static Group group;
    static Channel py3;

    @BeforeAll
    static void python() {
        group = new Group(Kind.PYTHON.popenSpec());
        py3 = group.get(0).remoteExec("""
                for op, arg in channel:
                    if op == 'dump':
                        channel.send(eval(arg))
                    else:
                        channel.send((type(arg).__name__, repr(arg)))
                """);
    }

    @AfterAll
    static void terminate() {
        py3.close();
        group.terminate(Duration.ofSeconds(10));
    }

    /** What Python's {@code dumps_internal(eval(repr))} loads as here. */
    static Object dump(String repr) {
        py3.send(Tuple.of("dump", repr));
        return py3.receive(T);
    }

    /** What Python's Unserializer makes of the value as jexecnet dumps it: its type name and repr. */
    static List<Object> load(Object value) {
        py3.send(Tuple.of("load", value));
        Tuple answer = py3.receive(Tuple.class, T);
        return List.of(answer.get(0), answer.get(1));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "int; 4; java.lang.Integer",
        "float; 3.25; java.lang.Double",
        "complex; (1.78+3.25j); org.jexecnet.Complex",
        "list; [1, 2, 3]; java.util.ArrayList",
        "tuple; (1, 2, 3); org.jexecnet.Tuple",
        "dict; {(1, 2, 3): 32}; java.util.LinkedHashMap"})
    void test_simple(String tpName, String repr, String javaType) throws Exception {
        Object p = dump(repr);
        assertInstanceOf(Class.forName(javaType), p);
        assertEquals(List.of(tpName, repr), load(p));
    }

    @Test
    void test_set() {
        Object p = dump("set((1, 2, 3))");
        assertEquals(Set.of(1, 2, 3), p);
        List<Object> tpv = load(p);
        assertEquals("set", tpv.get(0));
        String v = (String) tpv.get(1);
        // assert v == "{1, 2, 3}" # ordering prevents this assertion
        assertTrue(v.startsWith("{") && v.endsWith("}"), v);
        assertTrue(v.contains("1") && v.contains("2") && v.contains("3"), v);
        p = dump("set()");
        assertEquals(List.of("set", "set()"), load(p));
    }

    @Test
    void test_frozenset() {
        Object p = dump("frozenset((1, 2, 3))");
        assertInstanceOf(FrozenSet.class, p);
        assertEquals(List.of("frozenset", "frozenset({1, 2, 3})"), load(p));
    }

    @Test
    void test_long() {
        String reallyBig = "9223372036854775807324234";
        Object p = dump(reallyBig);
        assertEquals(new BigInteger(reallyBig), p);
        assertEquals(List.of("int", reallyBig), load(p));
    }

    @Test
    void test_bytes() {
        Object p = dump("b'hi'");
        assertArrayEquals(new byte[] {'h', 'i'}, (byte[]) p);
        assertEquals(List.of("bytes", "b'hi'"), load(p));
    }

    @Test
    void test_str() {
        Object p = dump("'xyz'");
        assertEquals("xyz", p);
        assertEquals(List.of("str", "'xyz'"), load(p));
    }

    @Test
    void test_unicode() {
        Object p = dump("u'hi'");
        assertEquals("hi", p);
        assertEquals(List.of("str", "'hi'"), load(p));
    }

    @Test
    void test_bool() {
        Object p = dump("True");
        assertEquals(Boolean.TRUE, p);
        assertEquals(List.of("bool", "True"), load(p));
    }

    @Test
    void test_none() {
        Object p = dump("None");
        assertNull(p);
        assertEquals("None", load(p).get(1));
    }

    @Test
    void test_tuple_nested_with_empty_in_between() {
        Object p = dump("(1, (), 3)");
        assertEquals(Tuple.of(1, Tuple.of(), 3), p);
        assertEquals(List.of("tuple", "(1, (), 3)"), load(p));
    }

    /** Regression test for execnet issue 267: a Python 2 str loads as bytes by default. */
    @Test
    void test_py2_string_loads() {
        assertArrayEquals(new byte[] {'a'}, (byte[]) Execnet.loads(new byte[] {2, 'M', 0, 0, 0, 1, 'a', 'Q'}));
    }
}
