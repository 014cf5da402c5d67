package org.jexecnet.junit.internal.wire;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a worker's runner is told when it starts: its test class path (paths on the worker's host) and
 * what to discover there, as the Console Launcher's options say it.
 *
 * @param classPath the test class path, on the worker's host
 * @param selectors what to discover: {@code class:NAME}, {@code package:NAME}, {@code method:NAME},
 *     {@code root:INDEX} (a class path entry to scan, by its index in {@code classPath}), {@code uid:UNIQUE ID}
 * @param includeClassNames regular expressions for the class names to include when scanning
 * @param excludeClassNames regular expressions for the class names to leave out
 * @param includeTags tag expressions a test must match
 * @param excludeTags tag expressions a test must not match
 * @param configuration configuration parameters
 */
public record Suite(List<String> classPath, List<String> selectors, List<String> includeClassNames, List<String> excludeClassNames,
        List<String> includeTags, List<String> excludeTags, Map<String, String> configuration) {

    public Suite {
        classPath = List.copyOf(classPath);
        selectors = List.copyOf(selectors);
        includeClassNames = List.copyOf(includeClassNames);
        excludeClassNames = List.copyOf(excludeClassNames);
        includeTags = List.copyOf(includeTags);
        excludeTags = List.copyOf(excludeTags);
        configuration = Map.copyOf(configuration);
    }

    /** The same suite on another host, where the class path lives elsewhere. */
    public Suite withClassPath(List<String> paths) {
        return new Suite(paths, selectors, includeClassNames, excludeClassNames, includeTags, excludeTags, configuration);
    }

    /** As the keyword arguments of the runner's remote execution. */
    public Map<String, Object> toWire() {
        Map<String, Object> wire = new LinkedHashMap<>();
        wire.put("classpath", classPath);
        wire.put("selectors", selectors);
        wire.put("include_classnames", includeClassNames);
        wire.put("exclude_classnames", excludeClassNames);
        wire.put("include_tags", includeTags);
        wire.put("exclude_tags", excludeTags);
        wire.put("config", configuration);
        return wire;
    }

    public static Suite fromWire(Map<String, Object> wire) {
        return new Suite(Wire.strings(wire.get("classpath"), "class path"), Wire.strings(wire.get("selectors"), "selectors"),
                Wire.strings(wire.get("include_classnames"), "included class names"),
                Wire.strings(wire.get("exclude_classnames"), "excluded class names"),
                Wire.strings(wire.get("include_tags"), "included tags"), Wire.strings(wire.get("exclude_tags"), "excluded tags"),
                Wire.stringMap(wire.get("config"), "configuration parameters"));
    }
}
