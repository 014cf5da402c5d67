package org.jexecnet.examples;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jexecnet.Complex;
import org.jexecnet.Execnet;
import org.jexecnet.FrozenSet;
import org.jexecnet.Tuple;

/**
 * Java and Python read each other's data: a value dumped here is loaded by Python execnet, which
 * answers with a value of its own that Java loads.
 *
 * <p>Run it with {@code ./scripts/demo.sh}; it needs Python execnet ({@code python3-execnet}).
 */
public final class SerializerDemo {
    private SerializerDemo() {}

    /** What the Python side runs: load our bytes, answer with each entry's Python type and repr. */
    private static final String PYTHON = String.join("\n",
            "import execnet, sys",
            "value = execnet.loads(sys.stdin.buffer.read())",
            "sys.stdout.buffer.write(execnet.dumps({k: (type(v).__name__, repr(v)) for k, v in value.items()}))");

    /**
     * Runs the demo.
     *
     * @param args optionally the Python interpreter that has execnet (default {@code /usr/bin/python3})
     * @throws Exception when Python cannot be run or answers with an error
     */
    public static void main(String[] args) throws Exception {
        run(args.length > 0 ? args[0] : "/usr/bin/python3", System.out);
    }

    /** A record travels as a dict of its components. */
    record Release(String name, int major, List<String> tags) {}

    private static String javaType(Object value) {
        if (value == null) {
            return "null";
        }
        return value instanceof List && !(value instanceof Tuple) ? "List" : value.getClass().getSimpleName();
    }

    static Map<String, String> run(String python, PrintStream out) throws IOException, InterruptedException {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("name", "jexecnet");
        value.put("numbers", List.of(1, 2, 3));
        value.put("point", Tuple.of(1.5, -2));
        value.put("tags", FrozenSet.of("fast", "small"));
        value.put("big", BigInteger.TWO.pow(70));
        value.put("wave", new Complex(0, 1));
        value.put("raw", new byte[] {0, 1, (byte) 0xff});
        value.put("nothing", null);
        value.put("release", new Release("jexecnet", 0, List.of("fast")));

        byte[] bytes = Execnet.dumps(value, 1); // Debian's execnet is 1.9.0, which reads format 1
        out.println("java dumped " + value.size() + " entries into " + bytes.length + " bytes");

        Process process = new ProcessBuilder(python, "-c", PYTHON).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(bytes);
        }
        byte[] answer = process.getInputStream().readAllBytes();
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException(python + " failed; does it have execnet (Debian's python3-execnet)?");
        }
        Map<?, ?> seen = Execnet.loads(answer, Map.class);
        Map<String, String> pythonTypes = new LinkedHashMap<>();
        seen.forEach((key, answered) -> {
            Tuple typeAndRepr = Execnet.convert(answered, Tuple.class);
            pythonTypes.put((String) key, (String) typeAndRepr.get(0));
            out.printf("  %-8s Java %-10s -> Python %-9s %s%n", key, javaType(value.get(key)), typeAndRepr.get(0), typeAndRepr.get(1));
        });
        return pythonTypes;
    }
}
