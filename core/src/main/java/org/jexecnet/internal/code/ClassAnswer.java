package org.jexecnet.internal.code;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jexecnet.Tuple;

/**
 * The master's answer to a {@link ClassRequest}: the jar that holds it, the class files of a directory,
 * or nothing. On the wire {@code ("jar", sha256, bytes or None)}, {@code ("files", {path: bytes})} or
 * {@code ("missing",)}.
 */
public sealed interface ClassAnswer {

    /**
     * A jar, shipped once per gateway.
     *
     * @param sha256 the hash that names it in the worker's cache
     * @param bytes the jar, or null when an earlier answer or request carries it
     */
    record Jar(String sha256, byte[] bytes) implements ClassAnswer {
        @Override
        public Tuple toValue() {
            return Tuple.of("jar", sha256, bytes);
        }
    }

    /**
     * Class files or a resource from a directory, by resource path.
     *
     * @param files the files
     */
    record Files(Map<String, byte[]> files) implements ClassAnswer {
        @Override
        public Tuple toValue() {
            return Tuple.of("files", files);
        }
    }

    /** The master does not have it either (or the worker's own class path has it). */
    record Missing() implements ClassAnswer {
        @Override
        public Tuple toValue() {
            return Tuple.of("missing");
        }
    }

    Tuple toValue();

    /**
     * Reads an answer.
     *
     * @throws IllegalArgumentException when the value is not one, with what it was
     */
    static ClassAnswer fromValue(Object value) {
        if (value instanceof Tuple t && !t.isEmpty()) {
            Object kind = t.get(0);
            if ("jar".equals(kind) && t.size() == 3 && t.get(1) instanceof String hash && (t.get(2) == null || t.get(2) instanceof byte[])) {
                return new Jar(hash, (byte[]) t.get(2));
            }
            if ("files".equals(kind) && t.size() == 2 && t.get(1) instanceof Map<?, ?> files) {
                Map<String, byte[]> checked = new LinkedHashMap<>();
                for (Map.Entry<?, ?> file : files.entrySet()) {
                    if (!(file.getKey() instanceof String path) || !(file.getValue() instanceof byte[] bytes)) {
                        throw new IllegalArgumentException("a class answer's files must map paths to bytes: " + file.getKey());
                    }
                    checked.put(path, bytes);
                }
                return new Files(checked);
            }
            if ("missing".equals(kind) && t.size() == 1) {
                return new Missing();
            }
        }
        throw new IllegalArgumentException("not a class answer (\"jar\", \"files\" or \"missing\"): " + value);
    }
}
