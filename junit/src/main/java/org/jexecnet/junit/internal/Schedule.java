package org.jexecnet.junit.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;

/**
 * The units of a lane for idle workers to take one at a time: work stealing, where no worker holds a
 * queue that another must rob, with locality.
 *
 * <p>Why locality: in one JVM, a test class often runs much faster after another of its package, which
 * filled a cache they share (the code under test's, the JDK's locale data, a framework's context).
 * Spread over JVMs, each pays for it again. In Commons Lang's suite, {@code FastDateParserTest} takes
 * 32 s alone and 1.4 s after {@code FastDateParser_TimeZoneStrategyTest} in the same JVM.
 *
 * <p>So a package is a group that the first worker to take from it owns: it runs the group's classes
 * longest first, the first of them (its leader) alone and the rest after it. A worker that owns nothing
 * left to run takes the biggest group no one owns, but first one that mostly waits (its classes kept
 * their JVM's processors busy less than half the time they ran, as on sleeps and locks), whose waiting
 * then overlaps the others' work instead of trailing it at the end. When every group has an owner, it
 * takes a unit of another's group, the longest of those it would finish no later than their owner could;
 * when there is none, it waits, and is asked again at the lane's next event. Times come from the
 * history: a class's time alone (the first of its group in its JVM, or after only shorter ones) and
 * after a longer class of its group in the same JVM, and the CPU its JVM spent per second of it.
 *
 * <p>What the history has not measured is estimated. A class's time alone: its size (tests, a template
 * or factory counted as several) at the rate the known classes ran, or in arbitrary units on a first
 * run. Its time after a longer class: no gain, but for the longest such class of each group whose time
 * alone is known, which is assumed to gain all and so is kept for its owner unless another worker would
 * finish it first even so: this run measures it (at most one class a group, once).
 *
 * <p>A class longer than the whole run's share per worker would hold up the end whatever the order: it
 * is split by method into as many parts as it needs, at most one per worker, when its worker said it may
 * be (see {@code Splitting} on the worker), and the history knows its methods' times.
 *
 * <p>Not thread-safe: the lane's event loop is its only user.
 */
final class Schedule {
    /**
     * How many tests a test template or factory counts as when nothing better is known: most run a handful
     * of invocations, a few a thousand (in Commons Lang's suite the median is 3, the mean 74).
     */
    private static final int DYNAMIC_WEIGHT = 10;
    /** Below this many CPU seconds per second, a group mostly waits (on sleeps, locks, I/O). */
    private static final double WAITS_BELOW = 0.5;

    /** The units of one package, and the worker that owns them. */
    private static final class Group {
        /** In the order its owner takes them after the leader: longest first. */
        final List<Unit> pending = new ArrayList<>();
        String owner;

        /** How long it takes one worker: its leader alone, the rest after it. */
        double seconds() {
            Unit leader = leader();
            double sum = 0;
            for (Unit unit : pending) {
                sum += unit == leader ? unit.alone() : unit.after();
            }
            return sum;
        }

        Unit leader() {
            return pending.stream().max(Comparator.comparingDouble(Unit::alone)).orElse(null);
        }

        /** Whether its units, as far as the history measured them, keep their JVM's processors busy less than half the time. */
        boolean mostlyWaits() {
            double seconds = 0;
            double cpuSeconds = 0;
            for (Unit unit : pending) {
                if (!Double.isNaN(unit.cpu())) {
                    seconds += unit.alone();
                    cpuSeconds += unit.alone() * unit.cpu();
                }
            }
            return seconds > 0 && cpuSeconds < WAITS_BELOW * seconds;
        }
    }

    private final Map<String, Group> groups = new LinkedHashMap<>();
    /** The groups each worker owns, in the order it took them. */
    private final Map<String, List<Group>> owned = new HashMap<>();
    /**
     * By worker and group, the longest time alone of the units it ran: a unit no longer than that takes its time
     * after there, as the history measures "after" (after a longer class of its group).
     */
    private final Map<String, Map<String, Double>> warmth = new HashMap<>();
    /** When each busy worker is expected to be free, in the lane's seconds. */
    private final Map<String, Double> busyUntil = new HashMap<>();
    /** What was left of units whose worker crashed: taken before anything else. */
    private final Deque<Unit> resumed = new ArrayDeque<>();
    private final Map<String, Integer> partsLeft = new HashMap<>();
    private final Map<String, String> groupOf = new HashMap<>();
    private int numbers;

    /**
     * @param units the top-level containers, each with the tests selected in it (the container itself for all)
     */
    Schedule(MirrorPlan plan, Map<String, List<String>> units, History history, int workers) {
        Map<String, Double> alone = estimates(plan, units.keySet(), history);
        double total = alone.values().stream().mapToDouble(Double::doubleValue).sum();
        double splitAbove = total / workers;
        for (Map.Entry<String, List<String>> entry : units.entrySet()) {
            String root = entry.getKey();
            double estimate = alone.get(root);
            MirrorDescriptor descriptor = plan.descriptor(root);
            String name = group(descriptor);
            groupOf.put(root, name);
            Group group = groups.computeIfAbsent(name, n -> new Group());
            boolean whole = entry.getValue().equals(List.of(root));
            List<List<String>> parts = workers > 1 && estimate > splitAbove && descriptor.isSplittable() && whole
                    ? split(descriptor, history, (int) Math.min(workers, Math.ceil(estimate / splitAbove))) : List.of(entry.getValue());
            for (List<String> part : parts) {
                if (parts.size() == 1) {
                    // Only a class whose time is measured (alone, or as it last ran) is worth a bet on its time after:
                    // else the times compared are guesses.
                    Double after = history.after(root);
                    boolean bet = after == null && whole && known(history, root) != null;
                    Double cpu = history.cpu(root);
                    group.pending.add(new Unit(++numbers, root, part, name, estimate, after != null ? after : estimate,
                            cpu != null ? cpu : Double.NaN, bet));
                } else {
                    double share = part.stream().mapToDouble(id -> orZero(history.seconds(id))).sum();
                    group.pending.add(new Unit(++numbers, root, part, name, share, share, Double.NaN, false));
                }
            }
            partsLeft.put(root, parts.size());
        }
        for (Group group : groups.values()) {
            explore(group);
            order(group);
        }
    }

    /** The longest class of the group whose time after a longer one is unknown, but its leader: assumed to gain all. */
    private static void explore(Group group) {
        Unit leader = group.leader();
        Unit longest = null;
        for (Unit unit : group.pending) {
            if (unit != leader && unit.afterToMeasure() && (longest == null || unit.alone() > longest.alone())) {
                longest = unit;
            }
        }
        if (longest != null) {
            group.pending.set(group.pending.indexOf(longest), longest.withAfter(0));
        }
    }

    private static void order(Group group) {
        group.pending.sort(Comparator.comparingDouble(Unit::alone).thenComparingDouble(Unit::after).reversed());
    }

    /** A unit's group: its class's package, or the container itself when it is not a class. */
    private static String group(MirrorDescriptor descriptor) {
        if (descriptor != null && descriptor.getSource().orElse(null) instanceof ClassSource source) {
            String name = source.getClassName();
            int dot = name.lastIndexOf('.');
            return dot < 0 ? "" : name.substring(0, dot);
        }
        return descriptor == null ? "" : descriptor.getUniqueId().toString();
    }

    /** The group of a top-level container, as this schedule formed them. */
    String groupOf(String root) {
        return groupOf.getOrDefault(root, root);
    }

    private static Map<String, Double> estimates(MirrorPlan plan, Set<String> roots, History history) {
        Map<String, Integer> weights = new HashMap<>();
        double knownSeconds = 0;
        long knownWeight = 0;
        for (String root : roots) {
            int weight = weight(plan.descriptor(root));
            weights.put(root, weight);
            Double known = known(history, root);
            if (known != null) {
                knownSeconds += known;
                knownWeight += weight;
            }
        }
        // A first run has no rate: seconds per test then only orders, as sizes do.
        double rate = knownWeight > 0 ? knownSeconds / knownWeight : 0.01;
        Map<String, Double> seconds = new HashMap<>();
        for (String root : roots) {
            Double known = known(history, root);
            seconds.put(root, known != null ? known : weights.get(root) * rate);
        }
        return seconds;
    }

    /** A class's time alone, or failing that its time as it last ran. */
    private static Double known(History history, String root) {
        Double alone = history.alone(root);
        return alone != null ? alone : history.seconds(root);
    }

    /** A container's size: its tests, a template or factory (a container with a method and no static children) as several. */
    private static int weight(TestDescriptor descriptor) {
        if (descriptor.isTest()) {
            return 1;
        }
        if (descriptor.getChildren().isEmpty()) {
            return descriptor.getSource().orElse(null) instanceof MethodSource ? DYNAMIC_WEIGHT : 0;
        }
        int weight = 0;
        for (TestDescriptor child : descriptor.getChildren()) {
            weight += weight(child);
        }
        return weight;
    }

    /** The class's methods in parts of about equal time, longest first into the part with least; unknown ones go with the least. */
    private static List<List<String>> split(MirrorDescriptor root, History history, int parts) {
        List<? extends TestDescriptor> children = new ArrayList<>(root.getChildren());
        if (parts < 2 || children.size() < 2 || children.stream().noneMatch(c -> history.seconds(c.getUniqueId().toString()) != null)) {
            return List.of(List.of(root.getUniqueId().toString()));
        }
        children.sort(Comparator.comparingDouble((TestDescriptor c) -> orZero(history.seconds(c.getUniqueId().toString()))).reversed());
        List<List<String>> bins = new ArrayList<>();
        double[] sums = new double[Math.min(parts, children.size())];
        for (int i = 0; i < sums.length; i++) {
            bins.add(new ArrayList<>());
        }
        for (TestDescriptor child : children) {
            int least = 0;
            for (int i = 1; i < sums.length; i++) {
                if (sums[i] < sums[least]) {
                    least = i;
                }
            }
            String id = child.getUniqueId().toString();
            bins.get(least).add(id);
            sums[least] += orZero(history.seconds(id));
        }
        return bins;
    }

    private static double orZero(Double seconds) {
        return seconds == null ? 0 : seconds;
    }

    /**
     * The unit for an idle worker to run now: what a crash left, else the next of its own groups, else the
     * leader of the biggest group no one owns (one that mostly waits before any other), else the longest unit
     * of another's group that it would finish no later than its owner.
     *
     * @param now the lane's clock, in seconds
     * @return the unit, or null when there is none for this worker now
     */
    Unit next(String worker, double now) {
        if (!resumed.isEmpty()) {
            return take(worker, resumed.pollFirst(), now);
        }
        for (Group group : owned.getOrDefault(worker, List.of())) {
            if (!group.pending.isEmpty()) {
                return take(worker, group.pending.get(0), now);
            }
        }
        // What mostly waits goes first, so that its waiting overlaps the others' work instead of trailing it.
        Group free = groups.values().stream().filter(g -> g.owner == null && !g.pending.isEmpty())
                .max(Comparator.comparing(Group::mostlyWaits).thenComparingDouble(Group::seconds)).orElse(null);
        if (free != null) {
            free.owner = worker;
            owned.computeIfAbsent(worker, w -> new ArrayList<>()).add(free);
            return take(worker, free.leader(), now);
        }
        return take(worker, steal(worker, now), now);
    }

    /**
     * The longest unit of another's groups that this worker would finish no later than their owner, who runs them in
     * order, each after the longer ones before it.
     */
    private Unit steal(String worker, double now) {
        Unit best = null;
        double bestSeconds = -1;
        for (Map.Entry<String, List<Group>> entry : owned.entrySet()) {
            if (entry.getKey().equals(worker)) {
                continue;
            }
            double there = Math.max(now, busyUntil.getOrDefault(entry.getKey(), now));
            for (Group group : entry.getValue()) {
                for (Unit unit : group.pending) {
                    there += unit.after();
                    double seconds = seconds(worker, unit);
                    // A tie goes to this worker: it is free now, the owner only expected to be.
                    if (now + seconds <= there && seconds > bestSeconds) {
                        best = unit;
                        bestSeconds = seconds;
                    }
                }
            }
        }
        return best;
    }

    private double seconds(String worker, Unit unit) {
        Double longestRun = warmth.getOrDefault(worker, Map.of()).get(unit.group());
        return longestRun != null && longestRun >= unit.alone() ? unit.after() : unit.alone();
    }

    private Unit take(String worker, Unit unit, double now) {
        if (unit == null) {
            return null;
        }
        Group group = groups.get(unit.group());
        if (group != null) {
            group.pending.remove(unit);
        }
        busyUntil.put(worker, now + seconds(worker, unit));
        warmth.computeIfAbsent(worker, w -> new HashMap<>()).merge(unit.group(), unit.alone(), Math::max);
        return unit;
    }

    /** The worker finished its unit: it is free. */
    void done(String worker) {
        busyUntil.remove(worker);
    }

    /** The worker is gone: its groups have no owner, and the next free worker takes them. */
    void leave(String worker) {
        busyUntil.remove(worker);
        warmth.remove(worker);
        for (Group group : owned.getOrDefault(worker, List.of())) {
            group.owner = null;
        }
        owned.remove(worker);
    }

    /** A unit to take before all others: what was left of a unit whose worker crashed. */
    void resume(String root, List<String> selection, History history) {
        double seconds = selection.stream().mapToDouble(id -> orZero(history.seconds(id))).sum();
        resumed.addFirst(new Unit(++numbers, root, selection, groupOf(root), seconds, seconds, Double.NaN, false));
    }

    /** Units never handed out, which a lane with no worker left reports as not run. */
    List<Unit> drain() {
        List<Unit> left = new ArrayList<>(resumed);
        resumed.clear();
        for (Group group : groups.values()) {
            left.addAll(group.pending);
            group.pending.clear();
        }
        return left;
    }

    boolean isEmpty() {
        return resumed.isEmpty() && groups.values().stream().allMatch(g -> g.pending.isEmpty());
    }

    /** How many units of this root are still to finish; counts one down. */
    int partFinished(String root) {
        return partsLeft.merge(root, -1, Integer::sum);
    }
}
