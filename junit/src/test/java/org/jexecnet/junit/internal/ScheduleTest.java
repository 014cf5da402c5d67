package org.jexecnet.junit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jexecnet.junit.internal.wire.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The order units are handed out in, and when a class is split, from a made-up plan and history. */
class ScheduleTest {
    private static final String ENGINE = "[engine:junit-jupiter]";

    /** Four classes: A (splittable, four methods), B (three methods, not splittable), C (a method and a template), D (two methods). */
    private static MirrorPlan plan() {
        List<Node> nodes = new ArrayList<>();
        nodes.add(new Node(ENGINE, null, "JUnit Jupiter", "JUnit Jupiter", "CONTAINER", null, List.of(), false));
        addClass(nodes, "A", true, "test:a1", "test:a2", "test:a3", "test:a4");
        addClass(nodes, "B", false, "test:b1", "test:b2", "test:b3");
        addClass(nodes, "C", false, "test:c1", "template:c2");
        addClass(nodes, "D", false, "test:d1", "test:d2");
        return new MirrorPlan(nodes, Map.of());
    }

    private static void addClass(List<Node> nodes, String name, boolean splittable, String... methods) {
        String uid = uid(name);
        nodes.add(new Node(uid, ENGINE, name, name, "CONTAINER", "class:" + name, List.of(), splittable));
        for (String method : methods) {
            String[] kind = method.split(":");
            nodes.add(new Node(uid + "/[method:" + kind[1] + "()]", uid, kind[1] + "()", kind[1] + "()",
                    kind[0].equals("test") ? "TEST" : "CONTAINER", "method:" + name + "#" + kind[1] + "()", List.of(), false));
        }
    }

    private static String uid(String className) {
        return ENGINE + "/[class:" + className + "]";
    }

    private static Map<String, List<String>> wholeClasses() {
        Map<String, List<String>> units = new LinkedHashMap<>();
        for (String name : List.of("A", "B", "C", "D")) {
            units.put(uid(name), List.of(uid(name)));
        }
        return units;
    }

    private static List<String> order(Schedule schedule) {
        List<String> order = new ArrayList<>();
        for (Unit unit = schedule.next(); unit != null; unit = schedule.next()) {
            String name = unit.root().substring(unit.root().lastIndexOf(':') + 1, unit.root().length() - 1);
            order.add(unit.isWhole() ? name : name + unit.selection().stream().map(id -> id.substring(id.lastIndexOf(':') + 1, id.length() - 3))
                    .toList());
        }
        return order;
    }

    @Test
    void aFirstRunGoesBySizeWithTemplatesCountingAsSeveralTests() {
        assertEquals(List.of("C", "A", "B", "D"), order(new Schedule(plan(), wholeClasses(), History.none(), 2)));
    }

    @Test
    void historyOrdersLongestFirstEstimatesTheUnknownAndSplitsWhatMayBeSplit(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve(History.DURATIONS), List.of("4.0\t" + uid("A"), "1.5\t" + uid("B"), "0.2\t" + uid("D"),
                "1.2\t" + uid("A") + "/[method:a1()]", "1.0\t" + uid("A") + "/[method:a2()]", "0.9\t" + uid("A") + "/[method:a3()]",
                "0.9\t" + uid("A") + "/[method:a4()]", "garbled line", "-1\tnegative"));
        History history = History.read(dir);
        // C is unknown: 11 tests' worth (a template counts as 10) at the known classes' 5.7 s per 9 tests is 7.0 s. The
        // whole is 12.7 s, so a class over 12.7 / (2 x 2) s holds up the end: A (4 s) goes in two parts of about 2 s;
        // C may not be split.
        Schedule schedule = new Schedule(plan(), wholeClasses(), history, 2);
        assertEquals(List.of("C", "A[a1, a4]", "A[a2, a3]", "B", "D"), order(schedule));
        assertEquals(1, schedule.partFinished(uid("A")));
        assertEquals(0, schedule.partFinished(uid("A")));

        Schedule alone = new Schedule(plan(), wholeClasses(), history, 1);
        assertEquals(List.of("C", "A", "B", "D"), order(alone), "one worker: nothing to split for");
    }

    @Test
    void whatACrashLeftRunsBeforeEverythingElse() {
        Schedule schedule = new Schedule(plan(), wholeClasses(), History.none(), 2);
        schedule.resume(uid("D"), List.of(uid("D") + "/[method:d2()]"), History.none());
        assertEquals("D[d2]", order(schedule).get(0));
        assertNull(schedule.next());
    }
}
