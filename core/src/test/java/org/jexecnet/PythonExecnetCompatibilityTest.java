package org.jexecnet;

import static org.jexecnet.testing.Values.assertSameValue;
import static org.jexecnet.testing.Values.hasUnorderedSet;
import static org.jexecnet.testing.Values.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jexecnet.testing.PythonExecnet;
import org.jexecnet.testing.RandomValues;
import org.junit.jupiter.api.Test;

/**
 * Live cross-checks against real Python execnet (Debian's python3-execnet): the bytes each side
 * writes, the other reads and writes again unchanged. Fails, never skips, when execnet is missing.
 */
class PythonExecnetCompatibilityTest {
    private static final int COUNT = 1500;
    private static final Duration BOUND = Duration.ofSeconds(120);

    @Test
    void pythonReadsAndRewritesJavasBytesUnchanged() throws Exception {
        RandomValues random = new RandomValues(20261121L, 6);
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            // execnet 1.9.0 reads only its own version byte
            sent.add(Execnet.dumps(random.next(), 1));
        }
        List<byte[]> answers = PythonExecnet.exchange(BOUND, sent, "echo");
        assertEquals(COUNT, answers.size(), "one answer per value");

        int identical = 0;
        for (int i = 0; i < COUNT; i++) {
            Tuple answer = Execnet.convert(Execnet.loads(answers.get(i), StringCoercion.PY2STR_AS_PY3STR), Tuple.class);
            Object javaValue = Execnet.loads(sent.get(i));
            String context = "value #" + i + " " + abbreviate(javaValue) + ", Python's repr " + abbreviate(answer.get(1));
            assertNull(answer.get(2), context);
            byte[] rewritten = (byte[]) answer.get(0);
            if (java.util.Arrays.equals(sent.get(i), rewritten)) {
                identical++;
            } else {
                // Python writes a set in its own hash order: only then may the bytes differ, never the value.
                assertTrue(hasUnorderedSet(javaValue), "bytes differ for " + context + "\n java   " + hex(sent.get(i))
                        + "\n python " + hex(rewritten));
                assertSameValue(javaValue, Execnet.loads(rewritten), context);
            }
        }
        assertTrue(identical > COUNT * 3 / 4, "only " + identical + " of " + COUNT + " came back byte-identical");
    }

    @Test
    void javaReadsAndRewritesPythonsBytesUnchanged() throws Exception {
        List<byte[]> values = PythonExecnet.exchange(BOUND, List.of(), "generate", String.valueOf(COUNT), "1121");
        assertEquals(COUNT, values.size());
        for (int i = 0; i < COUNT; i++) {
            byte[] python = values.get(i);
            Object value = Execnet.loads(python);
            assertArrayEquals(python, Execnet.dumps(value, 1), () -> "Python's value #" + abbreviate(value));
        }
    }

    @Test
    void pythonReadsIntegersBelowInt32WhichItCannotWrite() throws Exception {
        List<Object> values = List.of(-3_000_000_000L, Long.MIN_VALUE, BigInteger.TEN.pow(40).negate());
        List<byte[]> sent = new ArrayList<>();
        values.forEach(v -> sent.add(Execnet.dumps(v, 1)));
        List<byte[]> answers = PythonExecnet.exchange(BOUND, sent, "echo");
        for (int i = 0; i < values.size(); i++) {
            Tuple answer = Execnet.convert(Execnet.loads(answers.get(i), StringCoercion.PY2STR_AS_PY3STR), Tuple.class);
            assertEquals(values.get(i).toString(), answer.get(1), "Python's repr");
        }
    }

    private static String abbreviate(Object value) {
        String text = String.valueOf(value);
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
