package org.jexecnet.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.jexecnet.Execnet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link Execnet#dumps(Object)} and {@link Execnet#loads(byte[])} on the three values of Python execnet's
 * {@code bench/python/serializer.py}, so that the two can be compared case by case.
 *
 * <p>Forks, iterations and mode are set by {@link SerializerComparison}, which runs these benchmarks.
 */
@State(Scope.Benchmark)
public class SerializerBench {
    /**
     * The values of {@code bench/python/serializer.py}, built as it builds them.
     */
    public enum Case {
        /** {@code list(range(100000))}. */
        LIST_100K_INTS("list_100k_ints", 100_000, SerializerBench::intList),
        /** {@code {"key%05d" % i: "value-%d-%s" % (i, "x" * 10) for i in range(10000)}}. */
        DICT_10K_STR_STR("dict_10k_str_str", 10_000, SerializerBench::stringMap),
        /** {@code bytes(range(256)) * (10 * (1 << 20) // 256)}. */
        BYTES_10MIB("bytes_10MiB", 0, SerializerBench::tenMebibytes);

        private final String pythonName;
        private final int items;
        private final Supplier<Object> builder;

        Case(String pythonName, int items, Supplier<Object> builder) {
            this.pythonName = pythonName;
            this.items = items;
            this.builder = builder;
        }

        /**
         * The case's name in serializer.py's result lines, such as {@code serializer.dumps.list_100k_ints}.
         *
         * @return the name
         */
        public String pythonName() {
            return pythonName;
        }

        /**
         * How many items serializer.py counts in the value for its items/s figures.
         *
         * @return the count, or 0 where serializer.py reports no items/s
         */
        public int items() {
            return items;
        }

        /**
         * Builds a fresh copy of the value.
         *
         * @return the value
         */
        public Object build() {
            return builder.get();
        }
    }

    @Param
    Case serializerCase;

    private Object value;
    private byte[] serialized;

    /**
     * Builds the value and its serialized form, and fails the run if they do not round-trip: a
     * benchmark of a broken serializer would measure nothing worth comparing.
     */
    @Setup
    public void setUp() {
        value = serializerCase.build();
        serialized = Execnet.dumps(value);
        if (!Objects.deepEquals(Execnet.loads(serialized), value)) {
            throw new IllegalStateException("loads(dumps(x)) != x for " + serializerCase.pythonName());
        }
    }

    /**
     * Serializes the value.
     *
     * @return the bytes, returned so that JMH consumes them
     */
    @Benchmark
    public byte[] dumps() {
        return Execnet.dumps(value);
    }

    /**
     * Reads the value back from its serialized form.
     *
     * @return the value, returned so that JMH consumes it
     */
    @Benchmark
    public Object loads() {
        return Execnet.loads(serialized);
    }

    private static Object intList() {
        List<Integer> list = new ArrayList<>(100_000);
        for (int i = 0; i < 100_000; i++) {
            list.add(i);
        }
        return list;
    }

    private static Object stringMap() {
        Map<String, String> map = new LinkedHashMap<>();
        String tail = "x".repeat(10);
        for (int i = 0; i < 10_000; i++) {
            map.put(String.format("key%05d", i), "value-" + i + "-" + tail);
        }
        return map;
    }

    private static Object tenMebibytes() {
        byte[] bytes = new byte[10 << 20];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }
}
