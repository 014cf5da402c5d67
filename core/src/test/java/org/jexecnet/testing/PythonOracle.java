package org.jexecnet.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Python itself as the reference for what we reimplement from its standard library
 * ({@code textwrap.dedent}, {@code shlex.split}): it computes a function of many inputs in one run,
 * so that a test compares our answers with Python's, input by input.
 */
public final class PythonOracle {
    private PythonOracle() {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Python's {@code function(x)} for each input: its result as JSON gives it (a string, a list), or
     * the string {@code "error: <exception class>"} where it raises.
     *
     * @param module the module to import, such as {@code textwrap}
     * @param function a callable of one argument, such as {@code textwrap.dedent}
     */
    public static List<Object> apply(String module, String function, List<String> inputs) throws IOException, InterruptedException {
        String script = "import json, sys, " + module + "\n"
                + "def f(x):\n"
                + "    try:\n"
                + "        return " + function + "(x)\n"
                + "    except Exception as e:\n"
                + "        return 'error: ' + type(e).__name__\n"
                + "json.dump([f(x) for x in json.load(sys.stdin)], sys.stdout)\n";
        Process python = new ProcessBuilder(PythonExecnet.interpreter(), "-c", script).start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
            try {
                return python.getInputStream().readAllBytes();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        python.getOutputStream().write(JSON.writeValueAsBytes(inputs));
        python.getOutputStream().close();
        assertTrue(python.waitFor(60, TimeUnit.SECONDS), "python answers within a minute");
        assertEquals(0, python.exitValue(), new String(python.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        return JSON.readValue(out.join(), new TypeReference<List<Object>>() {});
    }

    /** Random strings of the given characters, up to {@code maxLength} long, for comparing with Python. */
    public static List<String> randomStrings(long seed, int count, int maxLength, String alphabet) {
        Random random = new Random(seed);
        return java.util.stream.IntStream.range(0, count).mapToObj(i -> {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(maxLength + 1);
            for (int j = 0; j < length; j++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            return text.toString();
        }).toList();
    }
}
