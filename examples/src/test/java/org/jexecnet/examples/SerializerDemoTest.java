package org.jexecnet.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class SerializerDemoTest {

    @Test
    @Timeout(60)
    void pythonExecnetSeesEachJavaValueAsTheMatchingPythonType() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Map<String, String> types = SerializerDemo.run(System.getProperty("execnet.python", "/usr/bin/python3"),
                new PrintStream(printed, true, StandardCharsets.UTF_8));
        assertEquals(Map.of("name", "str", "numbers", "list", "point", "tuple", "tags", "frozenset", "big", "int",
                "wave", "complex", "raw", "bytes", "nothing", "NoneType", "release", "dict"), types);
        assertEquals(10, printed.toString(StandardCharsets.UTF_8).lines().count(), printed.toString(StandardCharsets.UTF_8));
    }
}
