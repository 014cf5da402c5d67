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

/** Which unit an idle worker gets, and when a class is split, from a made-up plan and history, at made-up times. */
class ScheduleTest {
    private static final String ENGINE = "[engine:junit-jupiter]";

    /** Four classes of one package: A (splittable, four methods), B (three methods), C (a method and a template), D (two methods). */
    private static MirrorPlan plan() {
        List<Node> nodes = new ArrayList<>();
        nodes.add(new Node(ENGINE, null, "JUnit Jupiter", "JUnit Jupiter", "CONTAINER", null, List.of(), false));
        addClass(nodes, "A", true, "test:a1", "test:a2", "test:a3", "test:a4");
        addClass(nodes, "B", false, "test:b1", "test:b2", "test:b3");
        addClass(nodes, "C", false, "test:c1", "template:c2");
        addClass(nodes, "D", false, "test:d1", "test:d2");
        return new MirrorPlan(nodes, Map.of());
    }

    /** Classes in two packages: p.Leader and p.Follower (which may share a warm-up), q.One, q.Two and q.Three. */
    private static MirrorPlan packages() {
        List<Node> nodes = new ArrayList<>();
        nodes.add(new Node(ENGINE, null, "JUnit Jupiter", "JUnit Jupiter", "CONTAINER", null, List.of(), false));
        for (String name : List.of("p.Leader", "p.Follower", "q.One", "q.Two", "q.Three")) {
            addClass(nodes, name, false, "test:t");
        }
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

    private static Map<String, List<String>> wholeClasses(MirrorPlan plan) {
        Map<String, List<String>> units = new LinkedHashMap<>();
        for (MirrorDescriptor engine : plan.roots()) {
            engine.getChildren().forEach(c -> units.put(c.getUniqueId().toString(), List.of(c.getUniqueId().toString())));
        }
        return units;
    }

    private static String name(Unit unit) {
        if (unit == null) {
            return null;
        }
        String name = unit.root().substring(unit.root().lastIndexOf(':') + 1, unit.root().length() - 1);
        return unit.isWhole() ? name : name + unit.selection().stream().map(id -> id.substring(id.lastIndexOf(':') + 1, id.length() - 3)).toList();
    }

    /** The order one worker runs everything in, at no time at all. */
    private static List<String> order(Schedule schedule) {
        List<String> order = new ArrayList<>();
        for (Unit unit = schedule.next("gw0", 0); unit != null; unit = schedule.next("gw0", 0)) {
            order.add(name(unit));
        }
        return order;
    }

    private static History history(Path dir, List<String> durations, List<String> locality) throws IOException {
        Files.write(dir.resolve(History.DURATIONS), durations);
        Files.write(dir.resolve(History.LOCALITY), locality);
        return History.read(dir);
    }

    @Test
    void aFirstRunGoesBySizeWithTemplatesCountingAsSeveralTests() {
        assertEquals(List.of("C", "A", "B", "D"), order(new Schedule(plan(), wholeClasses(plan()), History.none(), 2)));
    }

    @Test
    void aClassLongerThanAWorkersShareIsSplitByItsMethodsWhenItMayBe(@TempDir Path dir) throws IOException {
        History history = history(dir, List.of("8.0\t" + uid("A"), "1.5\t" + uid("B"), "0.2\t" + uid("D"),
                "2.2\t" + uid("A") + "/[method:a1()]", "2.0\t" + uid("A") + "/[method:a2()]", "1.9\t" + uid("A") + "/[method:a3()]",
                "1.9\t" + uid("A") + "/[method:a4()]", "garbled line", "-1\tnegative"), List.of());
        // C is unknown: 11 tests' worth (a template counts as 10) at the known classes' 9.7 s per 9 tests is 11.9 s. The
        // whole is 21.6 s, so a class over 21.6 / 2 s holds up the end whatever the order; A (8 s) does not, and C may
        // not be split.
        assertEquals(List.of("C", "A", "B", "D"), order(new Schedule(plan(), wholeClasses(plan()), history, 2)));

        History longA = history(dir, List.of("30.0\t" + uid("A"), "1.5\t" + uid("B"), "0.2\t" + uid("D"), "9\t" + uid("C"),
                "12.2\t" + uid("A") + "/[method:a1()]", "8.0\t" + uid("A") + "/[method:a2()]", "5.9\t" + uid("A") + "/[method:a3()]",
                "3.9\t" + uid("A") + "/[method:a4()]"), List.of());
        Schedule schedule = new Schedule(plan(), wholeClasses(plan()), longA, 2);
        assertEquals(List.of("A[a1, a4]", "A[a2, a3]", "C", "B", "D"), order(schedule));
        assertEquals(1, schedule.partFinished(uid("A")));
        assertEquals(0, schedule.partFinished(uid("A")));
        assertEquals(List.of("A", "C", "B", "D"), order(new Schedule(plan(), wholeClasses(plan()), longA, 1)), "one worker: nothing to split for");
    }

    @Test
    void aWorkerOwnsThePackageItStartsAndTheOtherTakesAnotherPackage(@TempDir Path dir) throws IOException {
        Schedule schedule = new Schedule(packages(), wholeClasses(packages()), packagesHistory(dir, "10\t-\t-", "9\t1\t-"), 2);
        assertEquals("p.Leader", name(schedule.next("gw0", 0)), "the biggest package, its longest class first");
        assertEquals("q.One", name(schedule.next("gw1", 0)), "the next package no one owns");
        schedule.done("gw1");
        assertEquals("q.Two", name(schedule.next("gw1", 1)));
        schedule.done("gw1");
        assertEquals("q.Three", name(schedule.next("gw1", 2)));
        schedule.done("gw1");
        // Follower takes 9 s on gw1 (3 + 9 = 12) and 1 s after Leader on gw0 (10 + 1 = 11): it waits for gw0.
        assertNull(schedule.next("gw1", 3));
        schedule.done("gw0");
        assertEquals("p.Follower", name(schedule.next("gw0", 10)));
        assertNull(schedule.next("gw1", 10));
    }

    @Test
    void anotherWorkerTakesAUnitItWouldFinishFirst(@TempDir Path dir) throws IOException {
        // Follower gains nothing after Leader: on gw1 it ends at 3 + 8 = 11, on gw0 at 10 + 8 = 18.
        assertEquals("p.Follower", name(afterTheOtherPackage(packagesHistory(dir, "10\t-\t-", "8\t8\t-")).next("gw1", 3)));
    }

    @Test
    void theLongestClassWhoseTimeAfterIsUnmeasuredIsKeptForItsOwnerOnce(@TempDir Path dir) throws IOException {
        History history = packagesHistory(dir, "10\t-\t-", "8\t-\t-");
        assertNull(afterTheOtherPackage(history).next("gw1", 3), "assumed to gain all after Leader: 10 + 0 is before 3 + 8");
        assertEquals("p.Follower", name(afterTheOtherPackage(history).next("gw1", 1.5)), "but not at any cost: 1.5 + 8 is before 10 + 0");
    }

    @Test
    void aFirstRunBetsOnNothingSinceItsTimesAreGuesses() {
        Schedule schedule = new Schedule(packages(), wholeClasses(packages()), History.none(), 2);
        assertEquals("q", schedule.next("gw0", 0).group(), "three tests against two");
        assertEquals("p.Leader", name(schedule.next("gw1", 0)));
        for (int i = 0; i < 2; i++) {
            schedule.done("gw0");
            assertEquals("q", schedule.next("gw0", 0).group());
        }
        schedule.done("gw0");
        // Guessed times, 0.01 s a test: gw1 is expected free at 0.01. Without a bet, Follower ends at 0.015 here and at
        // 0.02 there, so gw0 takes it; a bet on its time after (0) would have it wait for gw1 (0.01).
        assertEquals("p.Follower", name(schedule.next("gw0", 0.005)));
    }

    @Test
    void aWorkerThatRanOnlyShorterClassesOfAGroupPricesALongerOneAlone(@TempDir Path dir) throws IOException {
        Schedule schedule = new Schedule(plan(), wholeClasses(plan()), history(dir, List.of(), List.of("9\t1\t-\t" + uid("A"),
                "3\t3\t-\t" + uid("B"), "10\t-\t-\t" + uid("C"), "2\t2\t-\t" + uid("D"))), 2);
        assertEquals("C", name(schedule.next("gw0", 0)));
        assertEquals("B", name(schedule.next("gw1", 2.5)), "A would end at 11.5 here, at 10 + 1 after C");
        schedule.done("gw1");
        assertEquals("D", name(schedule.next("gw1", 5.5)));
        schedule.done("gw1");
        assertNull(schedule.next("gw1", 7.5), "gw1 ran B and D, not C: A takes its 9 s alone here, ending at 16.5, not 11");
    }

    @Test
    void aGroupHasOneBetAtMost(@TempDir Path dir) throws IOException {
        // C (10 s) leads; A (4 s) is the bet, taken to gain all after C; B (3 s) and D (2 s) gain nothing.
        Schedule schedule = new Schedule(plan(), wholeClasses(plan()), history(dir, List.of("4\t" + uid("A"), "3\t" + uid("B"),
                "10\t" + uid("C"), "2\t" + uid("D")), List.of()), 2);
        assertEquals("C", name(schedule.next("gw0", 0)));
        // At 8: A would end at 12 here, at 10 + 0 there; B at 11 here, at 10 + 0 + 3 there: B, the longest that pays.
        // Had B been a bet too, it would end at 10 there, and D would be the one.
        assertEquals("B", name(schedule.next("gw1", 8)));
    }

    /** A history of p.Leader and p.Follower with these times (alone, after, CPU), and q's three classes of 1 s each. */
    private static History packagesHistory(Path dir, String leader, String follower) throws IOException {
        return history(dir, List.of(), List.of(leader + "\t" + uid("p.Leader"), follower + "\t" + uid("p.Follower"),
                "1\t1\t-\t" + uid("q.One"), "1\t1\t-\t" + uid("q.Two"), "1\t1\t-\t" + uid("q.Three")));
    }

    /** gw0 has taken p's leader at 0, and gw1 all of q. */
    private static Schedule afterTheOtherPackage(History history) {
        Schedule schedule = new Schedule(packages(), wholeClasses(packages()), history, 2);
        assertEquals("p.Leader", name(schedule.next("gw0", 0)));
        for (int i = 0; i < 3; i++) {
            assertEquals("q", schedule.next("gw1", 0).group());
            schedule.done("gw1");
        }
        return schedule;
    }

    @Test
    void theGroupsOfAWorkerThatLeftGoToTheNextFreeWorker(@TempDir Path dir) throws IOException {
        Schedule schedule = new Schedule(packages(), wholeClasses(packages()), packagesHistory(dir, "10\t-\t-", "8\t1\t-"), 2);
        schedule.next("gw0", 0);
        schedule.leave("gw0");
        assertEquals("p.Follower", name(schedule.next("gw2", 0)));
    }

    @Test
    void aPackageThatMostlyWaitsGoesFirstSoThatItsWaitingOverlapsTheOthersWork(@TempDir Path dir) throws IOException {
        History history = history(dir, List.of(), List.of("10\t-\t1.6\t" + uid("p.Leader"), "9\t1\t1.0\t" + uid("p.Follower"),
                "3\t1\t0.1\t" + uid("q.One"), "1\t1\t-\t" + uid("q.Two"), "1\t1\t0.2\t" + uid("q.Three")));
        Schedule schedule = new Schedule(packages(), wholeClasses(packages()), history, 2);
        assertEquals("q.One", name(schedule.next("gw0", 0)), "q waits (0.12 CPU s a second), p does not, though it is longer");
        assertEquals("p.Leader", name(schedule.next("gw1", 0)));
    }

    @Test
    void whatACrashLeftRunsBeforeEverythingElse() {
        Schedule schedule = new Schedule(plan(), wholeClasses(plan()), History.none(), 2);
        schedule.resume(uid("D"), List.of(uid("D") + "/[method:d2()]"), History.none());
        assertEquals("D[d2]", order(schedule).get(0));
    }
}
