package org.jexecnet.junit.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.support.descriptor.MethodSource;

/**
 * The units of a lane, longest first, for idle workers to take one at a time: work stealing as the
 * issue puts it, where no worker holds a queue of its own that another would have to rob.
 *
 * <p>How long a unit takes comes from the history; a unit the history does not know is estimated from
 * its size (tests, and parameterized or dynamic ones counted as several), at the rate the known units
 * ran, or in arbitrary units on a first run, which still puts the big classes first. A class the history
 * shows to be long enough to hold up the end of the run (more than a {@code 2 x workers}-th of the
 * whole) is split by method into as many parts as it needs, at most one per worker, when its worker said
 * it may be (see {@code Splitting} on the worker).
 */
final class Schedule {
    /**
     * How many tests a test template or factory counts as when nothing better is known: most run a handful
     * of invocations, a few a thousand (in Commons Lang's suite the median is 3, the mean 74).
     */
    private static final int DYNAMIC_WEIGHT = 10;

    private final Deque<Unit> queue = new ArrayDeque<>();
    private final Map<String, Integer> partsLeft = new HashMap<>();
    private int numbers;

    /**
     * @param units the top-level containers, each with the tests selected in it (the container itself for all)
     */
    Schedule(MirrorPlan plan, Map<String, List<String>> units, History history, int workers) {
        Map<String, Double> seconds = estimates(plan, units.keySet(), history);
        double total = seconds.values().stream().mapToDouble(Double::doubleValue).sum();
        double splitAbove = total / (2.0 * workers);
        List<Unit> all = new ArrayList<>();
        for (Map.Entry<String, List<String>> unit : units.entrySet()) {
            String root = unit.getKey();
            double estimate = seconds.get(root);
            MirrorDescriptor descriptor = plan.descriptor(root);
            List<List<String>> parts = workers > 1 && estimate > splitAbove && descriptor.isSplittable()
                    && unit.getValue().equals(List.of(root))
                    ? split(descriptor, history, (int) Math.min(workers, Math.ceil(estimate / splitAbove))) : List.of(unit.getValue());
            for (List<String> part : parts) {
                double share = parts.size() == 1 ? estimate : part.stream().mapToDouble(id -> orZero(history.seconds(id))).sum();
                all.add(new Unit(++numbers, root, part, share));
            }
            partsLeft.put(root, parts.size());
        }
        all.sort(Comparator.comparingDouble(Unit::seconds).reversed());
        queue.addAll(all);
    }

    private static Map<String, Double> estimates(MirrorPlan plan, Set<String> roots, History history) {
        Map<String, Integer> weights = new HashMap<>();
        double knownSeconds = 0;
        long knownWeight = 0;
        for (String root : roots) {
            int weight = weight(plan.descriptor(root));
            weights.put(root, weight);
            Double known = history.seconds(root);
            if (known != null) {
                knownSeconds += known;
                knownWeight += weight;
            }
        }
        // A first run has no rate: seconds per test then only orders, as sizes do.
        double rate = knownWeight > 0 ? knownSeconds / knownWeight : 0.01;
        Map<String, Double> seconds = new HashMap<>();
        for (String root : roots) {
            Double known = history.seconds(root);
            seconds.put(root, known != null ? known : weights.get(root) * rate);
        }
        return seconds;
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

    /** The next unit, the longest left, or null when none is. */
    Unit next() {
        return queue.pollFirst();
    }

    /** A unit to take before all others: what was left of a unit whose worker crashed. */
    void resume(String root, List<String> selection, History history) {
        queue.addFirst(new Unit(++numbers, root, selection, selection.stream().mapToDouble(id -> orZero(history.seconds(id))).sum()));
    }

    /** Units never handed out, which a lane with no worker left reports as not run. */
    List<Unit> drain() {
        List<Unit> left = new ArrayList<>(queue);
        queue.clear();
        return left;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** How many units of this root are still to finish; counts one down. */
    int partFinished(String root) {
        return partsLeft.merge(root, -1, Integer::sum);
    }
}
