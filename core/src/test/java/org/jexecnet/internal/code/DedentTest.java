package org.jexecnet.internal.code;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.jexecnet.testing.PythonOracle;
import org.junit.jupiter.api.Test;

/** {@link Dedent} is {@code textwrap.dedent}: compared with Python's own, input by input. */
class DedentTest {

    @Test
    void dedentsAsPythonsTextwrapDoes() throws Exception {
        List<String> inputs = new ArrayList<>(List.of(
                "\n    channel.send(1)\n",                      // what String.stripIndent() leaves indented
                "\n            import time\n            time.sleep(0.5)\n        ",
                "  a\n\tb\n",                                   // a tab is not a space: no common margin
                "\t\ta\n\t b\n",
                "    a\n      b\n  \n    c",                    // a white-space line is emptied
                "  a  \n  b\r\n  c",                            // trailing space and \\r stay
                "no indent\n  indented",
                "",
                "   ",
                "\n\n"));
        inputs.addAll(PythonOracle.randomStrings(14, 3000, 24, "  \t\na#\r"));
        List<Object> python = PythonOracle.apply("textwrap", "textwrap.dedent", inputs);
        for (int i = 0; i < inputs.size(); i++) {
            assertEquals(python.get(i), Dedent.dedent(inputs.get(i)), "dedent of " + inputs.get(i).replace("\n", "\\n").replace("\t", "\\t"));
        }
    }
}
