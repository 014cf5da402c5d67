package org.jexecnet.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.jexecnet.testing.PythonOracle;
import org.junit.jupiter.api.Test;

/** {@link ShellWords} splits as {@code shlex.split}, which execnet uses for {@code python=}: compared input by input. */
class ShellWordsTest {

    @Test
    void splitsAsPythonsShlexDoes() throws Exception {
        List<String> inputs = new ArrayList<>(List.of(
                "python",
                "sudo -u test python",
                "/hans\\ alt/bin/python",
                "\"/u/test me/python\" -e",
                "'it''s' \"a\\\"b\" c\\\\d",
                "'' x \"\"",
                "a#b #c",
                "\"\\x\\$\"",
                "unclosed 'quote",
                "trailing \\",
                "  \t spaced \r\n out  "));
        inputs.addAll(PythonOracle.randomStrings(5, 3000, 16, "ab \t'\"\\#\n"));
        List<Object> python = PythonOracle.apply("shlex", "shlex.split", inputs);
        for (int i = 0; i < inputs.size(); i++) {
            String input = inputs.get(i);
            if (python.get(i) instanceof String error) {
                assertEquals("error: ValueError", error, input);
                assertThrows(IllegalArgumentException.class, () -> ShellWords.split(input), input);
            } else {
                assertEquals(python.get(i), ShellWords.split(input), input);
            }
        }
    }
}
