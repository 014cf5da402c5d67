package org.jexecnet;

import static org.jexecnet.testing.Values.assertSameValue;
import static org.jexecnet.testing.Values.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.jexecnet.internal.serial.Dumper;
import org.jexecnet.internal.serial.Loader;
import org.jexecnet.internal.serial.StringCoercion;
import org.jexecnet.testing.SharedFiles;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every vector of shared/vectors/serializer-vectors.json, written by Python execnet 1.9.0. */
class SerializerVectorsTest {
    private static final JsonNode VECTORS = read();

    private static JsonNode read() {
        try {
            return new ObjectMapper().readTree(SharedFiles.path("vectors/serializer-vectors.json").toFile());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @TestFactory
    Stream<DynamicTest> valuesDumpToPythonsBytesAndLoadBack() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode vector : VECTORS.get("vectors")) {
            String python = vector.get("python").asText();
            tests.add(DynamicTest.dynamicTest(python, () -> {
                Object value = build(vector.get("value"));
                byte[] v1 = hex(vector.get("dumps").asText());
                byte[] wire = hex(vector.get("wire").asText());
                byte[] v2 = v1.clone();
                v2[0] = 2;

                assertEquals(vector.get("dumps").asText(), hex(Execnet.dumps(value, 1)), "dumps(v, 1) of " + python);
                assertArrayEquals(v2, Execnet.dumps(value), "dumps of " + python + " writes execnet 2.x's version byte");
                assertArrayEquals(wire, Dumper.dumpPayload(value, null), "payload form of " + python);

                assertSameValue(value, Execnet.loads(v1), "loads of " + python + " (1.x)");
                assertSameValue(value, Execnet.loads(v2), "loads of " + python + " (2.x)");
                assertSameValue(value, Loader.loadPayload(wire, 0, wire.length, StringCoercion.PLAIN, null), "payload " + python);

                assertArrayEquals(v1, Execnet.dumps(Execnet.loads(v1), 1), "loads then dumps reproduces the bytes of " + python);
            }));
        }
        assertTrue(tests.size() >= 60, "the vector file lost its vectors");
        return tests.stream();
    }

    /** The named coercion of execnet's two flags, as the vector file gives them. */
    private static org.jexecnet.StringCoercion coercion(boolean py2strAsPy3str, boolean py3strAsPy2str) {
        if (py2strAsPy3str) {
            return py3strAsPy2str ? org.jexecnet.StringCoercion.SWAPPED : org.jexecnet.StringCoercion.PY2STR_AS_PY3STR;
        }
        return py3strAsPy2str ? org.jexecnet.StringCoercion.PY3STR_AS_PY2STR : org.jexecnet.StringCoercion.NONE;
    }

    @TestFactory
    Stream<DynamicTest> python2OpcodesLoadAsExecnetLoadsThemForEachFlag() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode vector : VECTORS.get("loads_only")) {
            boolean py2 = vector.get("py2str_as_py3str").asBoolean();
            boolean py3 = vector.get("py3str_as_py2str").asBoolean();
            String name = vector.get("dumps").asText() + " with (" + py2 + ", " + py3 + ") -> "
                    + vector.get("expect").get("python").asText();
            tests.add(DynamicTest.dynamicTest(name, () -> {
                Object expected = build(vector.get("expect").get("ok"));
                assertSameValue(expected, Execnet.loads(hex(vector.get("dumps").asText()), coercion(py2, py3)), name);
            }));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> malformedInputRaisesLoadExceptionWithOffsetAndReason() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode vector : VECTORS.get("malformed")) {
            String bytes = vector.get("dumps").asText();
            String python = vector.has("python_error") ? vector.get("python_error").asText()
                    : "Python gives " + vector.get("python_result").asText();
            tests.add(DynamicTest.dynamicTest("'" + bytes + "' (" + python + ")", () -> {
                byte[] data = hex(bytes);
                LoadException e = assertThrows(LoadException.class, () -> Execnet.loads(data));
                assertTrue(e.offset() >= 0 && e.offset() <= data.length, "offset " + e.offset() + " within the input");
                assertTrue(e.getMessage().startsWith("malformed data at byte " + e.offset() + ": "), e.getMessage());
            }));
        }
        assertTrue(tests.size() >= 18, "the vector file lost its malformed cases");
        return tests.stream();
    }

    /** Builds a value from the vector file's tagged description ({"t": type, "v": ...}). */
    static Object build(JsonNode node) {
        String type = node.get("t").asText();
        JsonNode v = node.get("v");
        switch (type) {
            case "none": return null;
            case "bool": return v.asBoolean();
            case "int": return narrowest(new BigInteger(v.asText()));
            case "float": return parseFloat(v.asText());
            case "complex": return new Complex(parseFloat(node.get("re").asText()), parseFloat(node.get("im").asText()));
            case "bytes": return hex(v.asText());
            case "str": return v.asText();
            case "list": {
                List<Object> list = new ArrayList<>();
                v.forEach(item -> list.add(build(item)));
                return list;
            }
            case "tuple": {
                List<Object> items = new ArrayList<>();
                v.forEach(item -> items.add(build(item)));
                return Tuple.copyOf(items);
            }
            case "set":
            case "frozenset": {
                Set<Object> set = new LinkedHashSet<>();
                v.forEach(item -> set.add(build(item)));
                return type.equals("set") ? set : FrozenSet.copyOf(set);
            }
            case "dict": {
                Map<Object, Object> map = new LinkedHashMap<>();
                v.forEach(pair -> map.put(build(pair.get(0)), build(pair.get(1))));
                return map;
            }
            default: throw new AssertionError("unknown tag " + type);
        }
    }

    private static Object narrowest(BigInteger value) {
        if (value.bitLength() < 32) {
            return value.intValue();
        }
        return value.bitLength() < 64 ? (Object) value.longValue() : value;
    }

    private static double parseFloat(String text) {
        switch (text) {
            case "nan": return Double.NaN;
            case "inf": return Double.POSITIVE_INFINITY;
            case "-inf": return Double.NEGATIVE_INFINITY;
            default: return Double.parseDouble(text);
        }
    }
}
