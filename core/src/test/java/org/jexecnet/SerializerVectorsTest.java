package org.jexecnet;

import static org.jexecnet.testing.Values.assertSameValue;
import static org.jexecnet.testing.Values.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every vector of the test resource {@code serializer-vectors.json}: bytes that Python execnet wrote and
 * values it loaded, made by {@code src/test/python/make_serializer_vectors.py} (which says how to
 * regenerate it).
 */
class SerializerVectorsTest {
    private static final JsonNode VECTORS = read();

    private static JsonNode read() {
        try (InputStream in = SerializerVectorsTest.class.getResourceAsStream("serializer-vectors.json")) {
            assertNotNull(in, "serializer-vectors.json is missing from the test resources");
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @TestFactory
    Stream<DynamicTest> valuesDumpToPythonsBytesAndLoadBack() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode vector : VECTORS.get("values")) {
            String python = vector.get("python").asText();
            tests.add(DynamicTest.dynamicTest(python, () -> {
                Object value = build(vector.get("value"));
                byte[] v1 = hex(vector.get("dumps").asText());
                byte[] payload = hex(vector.get("payload").asText());
                byte[] v2 = v1.clone();
                v2[0] = 2;

                assertEquals(vector.get("dumps").asText(), hex(Execnet.dumps(value, 1)), "dumps(v, 1) of " + python);
                assertArrayEquals(v2, Execnet.dumps(value), "dumps of " + python + " writes execnet 2.x's version byte");
                assertArrayEquals(payload, Dumper.dumpPayload(value, null), "payload form of " + python);

                assertSameValue(value, Execnet.loads(v1), "loads of " + python + " (1.x)");
                assertSameValue(value, Execnet.loads(v2), "loads of " + python + " (2.x)");
                assertSameValue(value, Loader.loadPayload(payload, 0, payload.length, StringCoercion.PLAIN, null), "payload " + python);

                assertArrayEquals(v1, Execnet.dumps(Execnet.loads(v1), 1), "loads then dumps reproduces the bytes of " + python);
            }));
        }
        assertTrue(tests.size() >= 100, "the vector file lost its values");
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
            String name = vector.get("name").asText() + " with (" + py2 + ", " + py3 + ") -> " + vector.get("python").asText();
            tests.add(DynamicTest.dynamicTest(name, () -> {
                Object expected = build(vector.get("loads"));
                assertSameValue(expected, Execnet.loads(hex(vector.get("dumps").asText()), coercion(py2, py3)), name);
            }));
        }
        assertTrue(tests.size() >= 60, "the vector file lost its loads-only cases");
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> malformedInputRaisesLoadExceptionWithOffsetAndReason() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode vector : VECTORS.get("malformed")) {
            String bytes = vector.get("dumps").asText();
            String execnet = vector.has("execnet_raises") ? "execnet raises " + vector.get("execnet_raises").asText()
                    : "execnet lets it through as " + vector.get("execnet_accepts").asText();
            String name = vector.get("why").asText();
            tests.add(DynamicTest.dynamicTest(name + " (" + execnet + ")", () -> {
                byte[] data = hex(bytes);
                LoadException e = assertThrows(LoadException.class, () -> Execnet.loads(data), name);
                assertTrue(e.offset() >= 0 && e.offset() <= data.length, "offset " + e.offset() + " within the input");
                assertTrue(e.getMessage().startsWith("malformed data at byte " + e.offset() + ": "), e.getMessage());
            }));
        }
        assertTrue(tests.size() >= 50, "the vector file lost its malformed cases");
        return tests.stream();
    }

    /** Builds a value from the vector file's form: an object of one key, the Python type, over its content. */
    static Object build(JsonNode node) {
        assertEquals(1, node.size(), "one key, the type, in " + node);
        String type = node.fieldNames().next();
        JsonNode v = node.get(type);
        switch (type) {
            case "none": return null;
            case "bool": return v.asBoolean();
            case "int": return narrowest(new BigInteger(v.asText()));
            case "float": return fromBits(v.asText());
            case "complex": return new Complex(fromBits(v.get(0).asText()), fromBits(v.get(1).asText()));
            case "bytes": return hex(v.asText());
            case "str": return v.asText();
            case "list": return items(v);
            case "tuple": return Tuple.copyOf(items(v));
            case "set": return new LinkedHashSet<>(items(v));
            case "frozenset": return FrozenSet.copyOf(new LinkedHashSet<>(items(v)));
            case "dict": {
                Map<Object, Object> map = new LinkedHashMap<>();
                v.forEach(pair -> map.put(build(pair.get(0)), build(pair.get(1))));
                return map;
            }
            default: throw new AssertionError("unknown type " + type);
        }
    }

    private static List<Object> items(JsonNode array) {
        List<Object> items = new ArrayList<>();
        array.forEach(item -> items.add(build(item)));
        return items;
    }

    private static Object narrowest(BigInteger value) {
        if (value.bitLength() < 32) {
            return value.intValue();
        }
        return value.bitLength() < 64 ? (Object) value.longValue() : value;
    }

    /** A double from the 16 hex digits of its IEEE 754 bits. */
    private static double fromBits(String hex) {
        return Double.longBitsToDouble(Long.parseUnsignedLong(hex, 16));
    }
}
