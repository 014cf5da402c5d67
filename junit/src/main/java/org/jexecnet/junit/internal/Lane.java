package org.jexecnet.junit.internal;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jexecnet.junit.TestRunListener;
import org.jexecnet.junit.WorkerCrashedException;
import org.jexecnet.junit.internal.wire.Failure;
import org.jexecnet.junit.internal.wire.Request;
import org.jexecnet.junit.internal.wire.WorkerEvent;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/**
 * One test plan run to its end by a set of workers: the whole suite in load mode, or one gateway's run
 * of it in each mode. The first worker that is ready discovers the suite; then idle workers take units
 * from the schedule. Their events become one run's events for the JUnit Platform's listeners: each
 * test and container starts and finishes once, even a class split over several workers, whose container
 * finishes when its last part does, with the worst of their results.
 *
 * <p>A worker that crashes leaves its running test failed with the cause, the containers around it
 * that cannot finish aborted, and the tests of its unit that had not started to be run first by the next
 * idle worker.
 */
final class Lane {
    /** The result of a top-level container over its parts. */
    private static final class Root {
        TestExecutionResult result;
        String skipReason;
        boolean started;
        double seconds;
    }

    /** A class, or a part of one, that a worker ran, and how long it took there. */
    private record Ran(String root, double seconds, boolean whole) {}

    /** How long a top-level container must take for the history to keep its children's durations, by which it may be split. */
    private static final double SPLITTABLE_SECONDS = 1.0;

    final String name;
    private final Map<String, String> configuration;
    private final History history;
    private final TestRunListener progress;
    private final List<TestExecutionListener> listeners = new ArrayList<>();
    private final SummaryGeneratingListener summary = new SummaryGeneratingListener();
    private final Outcomes outcomes = new Outcomes();
    private final PrintWriter warnings;

    private final Set<Worker> workers = new LinkedHashSet<>();
    private int starting;
    private MirrorPlan plan;
    private Schedule schedule;
    private Worker discoverer;
    private boolean complete;
    private String runtime;

    private final Map<String, Root> roots = new HashMap<>();
    private final Map<String, TestExecutionResult> engineFailures = new LinkedHashMap<>();
    private final Map<String, Double> durations = new HashMap<>();
    private final Set<String> ran = new HashSet<>();
    /** What started, and what finished or was skipped, as the listeners were told: a rerun's repeats are not told again. */
    private final Set<String> started = new HashSet<>();
    private final Set<String> ended = new HashSet<>();
    /** Containers rerun after a crash inside them: a second crash there gives up their rest. */
    private final Set<String> rerun = new HashSet<>();
    /** Containers that crashed a worker between their tests and run again: their failure, for when they finish. */
    private final Map<String, TestExecutionResult> crashedIn = new HashMap<>();
    private final Set<String> failed = new LinkedHashSet<>();
    private final List<String> crashes = new ArrayList<>();
    /** The classes and parts each worker ran, in order: what the history learns locality from. */
    private final Map<String, List<Ran>> sequences = new LinkedHashMap<>();
    /** The CPU seconds each whole class's JVM spent per second it ran. */
    private final Map<String, Double> cpu = new HashMap<>();
    /** The lane's clock for the schedule, in seconds. */
    private final long origin = System.nanoTime();

    Lane(String name, Map<String, String> configuration, History history, TestRunListener progress, List<TestExecutionListener> own,
            PrintWriter warnings) {
        this.name = name;
        this.configuration = configuration;
        this.history = history;
        this.progress = progress;
        this.warnings = warnings;
        listeners.add(summary);
        listeners.add(outcomes);
        listeners.addAll(own);
    }

    void add(Worker worker) {
        workers.add(worker);
    }

    void replacementStarting() {
        starting++;
    }

    void replacementStarted(Worker worker) {
        starting--;
        workers.add(worker);
    }

    void replacementFailed() {
        starting--;
    }

    boolean isComplete() {
        return complete;
    }

    /** Whether the lane still has a worker, or one on its way. */
    boolean isStaffed() {
        return !workers.isEmpty() || starting > 0;
    }

    Set<Worker> workers() {
        return workers;
    }

    // ---- events

    void handle(Worker worker, WorkerEvent event) {
        if (event instanceof WorkerEvent.Ready ready) {
            worker.ready = true;
            runtime = runtime == null ? ready.runtime() : runtime;
            progress.workerReady(worker.id(), ready.runtime());
            dispatch(worker);
        } else if (event instanceof WorkerEvent.Plan discovered) {
            if (worker != discoverer || plan != null) {
                throw new IllegalArgumentException(worker + " sent a test plan nobody asked it for");
            }
            discoverer = null;
            planned(new MirrorPlan(discovered.nodes(), configuration), worker);
            dispatch(worker);
            for (Worker other : workers) {
                if (other != worker && other.ready && other.unit == null && !other.gone) {
                    dispatch(other);
                }
            }
        } else if (event instanceof WorkerEvent.UnitDone done) {
            Unit unit = worker.unit;
            if (unit == null || unit.number() != done.unit()) {
                throw new IllegalArgumentException(worker + " finished unit " + done.unit() + ", which it was not running");
            }
            if (!worker.rootReported) {
                rootPart(unit.root(), null, null, 0, worker.id());
            }
            if (unit.isWhole() && done.cpuNanos() >= 0) {
                List<Ran> sequence = sequences.getOrDefault(worker.id(), List.of());
                Ran last = sequence.isEmpty() ? null : sequence.get(sequence.size() - 1);
                if (last != null && last.whole() && last.root().equals(unit.root()) && last.seconds() > 0) {
                    cpu.put(unit.root(), done.cpuNanos() / 1e9 / last.seconds());
                }
            }
            worker.unit = null;
            schedule.done(worker.id());
            dispatch(worker);
        } else if (worker.unit == null) {
            throw new IllegalArgumentException(worker + " reported " + event.getClass().getSimpleName() + " outside a unit");
        } else {
            unitEvent(worker, event);
        }
        dispatchIdle();
        checkComplete();
    }

    /** Asks again for the idle workers: one the schedule left waiting, for a unit better run by another, may have one now. */
    private void dispatchIdle() {
        if (plan != null && !schedule.isEmpty()) {
            idleWorkers().forEach(this::dispatch);
        }
    }

    private void unitEvent(Worker worker, WorkerEvent event) {
        String root = worker.unit.root();
        if (event instanceof WorkerEvent.Dynamic dynamic) {
            TestIdentifier registered = plan.register(dynamic.node());
            if (registered != null) {
                each(listener -> listener.dynamicTestRegistered(registered));
            }
        } else if (event instanceof WorkerEvent.Started started) {
            TestIdentifier id = isEngine(started.uniqueId()) ? null : known(started.uniqueId());
            if (id == null) {
                return; // engines start and finish once for the whole run, on the master
            }
            worker.open.add(started.uniqueId());
            worker.seen.add(started.uniqueId());
            Root state = roots.get(root);
            if (started.uniqueId().equals(root)) {
                if (state.started) {
                    return; // another part of the class started it
                }
                state.started = true;
            } else if (!this.started.add(started.uniqueId())) {
                return; // a rerun after a crash: it started before
            }
            each(listener -> listener.executionStarted(id));
            if (id.isTest()) {
                progress.testStarted(worker.id(), id);
            }
        } else if (event instanceof WorkerEvent.Finished finished) {
            String uid = finished.uniqueId();
            TestExecutionResult result = result(finished.status(), finished.failure());
            if (isEngine(uid)) {
                if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                    engineFailures.putIfAbsent(uid, result);
                }
                return;
            }
            TestIdentifier id = known(uid);
            if (id == null) {
                return;
            }
            worker.open.remove(uid);
            double seconds = finished.nanos() / 1e9;
            if (uid.equals(root)) {
                worker.rootReported = true;
                sequences.computeIfAbsent(worker.id(), w -> new ArrayList<>()).add(new Ran(root, seconds, worker.unit.isWhole()));
                rootPart(root, result, null, seconds, worker.id());
                return;
            }
            durations.merge(uid, seconds, Double::sum);
            finish(worker.id(), id, result);
        } else if (event instanceof WorkerEvent.Skipped skipped) {
            String uid = skipped.uniqueId();
            TestIdentifier id = isEngine(uid) ? null : known(uid);
            if (id == null) {
                return;
            }
            if (uid.equals(root)) {
                worker.rootReported = true;
                rootPart(root, null, skipped.reason(), 0, worker.id());
                return;
            }
            if (!ended.add(uid)) {
                return;
            }
            ran.add(uid);
            each(listener -> listener.executionSkipped(id, skipped.reason()));
            progress.testSkipped(worker.id(), id, skipped.reason());
        } else if (event instanceof WorkerEvent.Reported reported) {
            TestIdentifier id = known(reported.uniqueId());
            if (id != null) {
                ReportEntry entry = ReportEntry.from(reported.entries());
                each(listener -> listener.reportingEntryPublished(id, entry));
            }
        } else {
            throw new IllegalArgumentException(worker + " sent " + event.getClass().getSimpleName() + " in the middle of a unit");
        }
    }

    private void finish(String worker, TestIdentifier id, TestExecutionResult outcome) {
        String uid = id.getUniqueId();
        if (!ended.add(uid)) {
            return; // a rerun after a crash repeats what had finished: its first result stands
        }
        TestExecutionResult crash = crashedIn.remove(uid);
        TestExecutionResult result = crash != null && !worse(outcome, crash) ? crash : outcome;
        ran.add(uid);
        if (result.getStatus() == TestExecutionResult.Status.FAILED) {
            failed.add(uid);
        }
        each(listener -> listener.executionFinished(id, result));
        if (id.isTest() || result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
            progress.testFinished(worker, id, result);
        }
    }

    /**
     * One unit's word on its top-level container: its result, its skip, or nothing (when the unit ended
     * without one). The container finishes once the last of its parts has said its word.
     */
    private void rootPart(String uid, TestExecutionResult result, String skipReason, double seconds, String worker) {
        Root state = roots.get(uid);
        state.seconds += seconds;
        if (result != null && (state.result == null || worse(result, state.result))) {
            state.result = result;
        }
        if (skipReason != null && state.skipReason == null) {
            state.skipReason = skipReason;
        }
        if (schedule.partFinished(uid) > 0) {
            return;
        }
        durations.put(uid, state.seconds);
        // A container a crash hit between its tests, whose rerun did not finish it (the rerun crashed too, or never
        // ran): it ends now, with the crash, before the class around it.
        for (String container : crashedIn.keySet().stream().filter(c -> c.startsWith(uid + "/")).toList()) {
            finish(worker, plan.identifier(container), crashedIn.get(container));
            crashedIn.remove(container);
        }
        TestIdentifier id = plan.identifier(uid);
        if (state.result == null && !state.started) {
            ran.add(uid);
            String reason = state.skipReason != null ? state.skipReason : "selected, but its engine ran none of it";
            each(listener -> listener.executionSkipped(id, reason));
            progress.testSkipped(worker, id, reason);
            return;
        }
        if (!state.started) {
            state.started = true;
            each(listener -> listener.executionStarted(id));
        }
        finish(worker, id, state.result != null ? state.result : TestExecutionResult.successful());
    }

    private static boolean worse(TestExecutionResult a, TestExecutionResult b) {
        return a.getStatus().ordinal() > b.getStatus().ordinal();
    }

    private TestIdentifier known(String uid) {
        return plan == null ? null : plan.identifier(uid);
    }

    private boolean isEngine(String uid) {
        MirrorDescriptor descriptor = plan.descriptor(uid);
        return descriptor != null && descriptor.getParent().isEmpty();
    }

    private static TestExecutionResult result(String status, Failure failure) {
        Throwable throwable = failure == null ? null : RemoteThrowables.of(failure);
        return switch (status) {
            case "SUCCESSFUL" -> TestExecutionResult.successful();
            case "ABORTED" -> TestExecutionResult.aborted(throwable);
            default -> TestExecutionResult.failed(throwable);
        };
    }

    // ---- the plan and the units

    private void planned(MirrorPlan discovered, Worker by) {
        plan = discovered;
        Map<String, List<String>> units = new LinkedHashMap<>();
        for (MirrorDescriptor engine : plan.roots()) {
            for (TestDescriptor child : engine.getChildren()) {
                String uid = child.getUniqueId().toString();
                units.put(uid, List.of(uid));
                roots.put(uid, new Root());
            }
        }
        int size = (int) workers.stream().filter(w -> !w.gone).count();
        schedule = new Schedule(plan, units, history, Math.max(1, size));
        each(listener -> listener.testPlanExecutionStarted(plan.plan()));
        for (MirrorDescriptor engine : plan.roots()) {
            TestIdentifier id = plan.identifier(engine.getUniqueId().toString());
            each(listener -> listener.executionStarted(id));
        }
        progress.discovered(by.id(), plan.plan());
    }

    /** Gives an idle worker what there is to do: the discovery, else the next unit. */
    private void dispatch(Worker worker) {
        if (worker.gone || !worker.ready) {
            return;
        }
        if (plan == null) {
            if (discoverer == null) {
                discoverer = worker;
                worker.send(new Request.Discover());
            }
            return;
        }
        Unit next = schedule.next(worker.id(), (System.nanoTime() - origin) / 1e9);
        if (next != null) {
            worker.start(next);
        }
    }

    private void checkComplete() {
        if (complete || plan == null || !schedule.isEmpty() || workers.stream().anyMatch(w -> w.unit != null)) {
            return;
        }
        complete = true;
        for (MirrorDescriptor engine : plan.roots()) {
            String uid = engine.getUniqueId().toString();
            TestIdentifier id = plan.identifier(uid);
            TestExecutionResult result = engineFailures.getOrDefault(uid, TestExecutionResult.successful());
            each(listener -> listener.executionFinished(id, result));
        }
        each(listener -> listener.testPlanExecutionFinished(plan.plan()));
    }

    // ---- crashes

    /**
     * A worker is gone, or is no longer to be trusted: what it was running fails with the cause, and what
     * it had not started of its unit is run first by the next idle worker.
     *
     * @return a line that says what crashed while running what
     */
    String crashed(Worker worker, String cause) {
        worker.gone = true;
        workers.remove(worker);
        if (schedule != null) {
            schedule.leave(worker.id());
        }
        if (worker == discoverer) {
            discoverer = null;
            workers.stream().filter(w -> w.ready && w.unit == null).findFirst().ifPresent(this::dispatch);
        }
        Unit unit = worker.unit;
        worker.unit = null;
        if (unit == null) {
            String line = worker.id() + " crashed: " + cause;
            crashes.add(line);
            dispatchIdle();
            return line;
        }
        if (worker.rootReported) {
            String line = worker.id() + " crashed after running " + path(unit.root()) + ": " + cause;
            crashes.add(line);
            dispatchIdle();
            return line;
        }
        List<String> open = new ArrayList<>(worker.open);
        String victim = open.isEmpty() ? unit.root() : open.get(open.size() - 1);
        String line = worker.id() + " crashed while running " + path(victim) + ": " + cause;
        crashes.add(line);
        TestExecutionResult failure = TestExecutionResult.failed(new WorkerCrashedException(line));
        if (victim.equals(unit.root())) {
            // The class crashed between its tests (or before the first, in a @BeforeAll): what it had not started
            // runs again elsewhere, once, and the class fails with the crash when that is over.
            List<String> rest = notStarted(unit, worker);
            if (!rest.isEmpty() && rerun.add(unit.root())) {
                crashedIn.put(unit.root(), failure);
                schedule.resume(unit.root(), rest, history);
            } else {
                rootPart(unit.root(), failure, null, 0, worker.id());
            }
        } else {
            // The top-level test container around the victim (a parameterized test, a nested class) is run again,
            // once, for what it had not run yet; what it ran before is not reported twice.
            boolean betweenTests = !plan.identifier(victim).isTest();
            String around = open.size() > 1 && open.get(0).equals(unit.root()) ? open.get(1) : null;
            boolean again = around != null && (betweenTests || !around.equals(victim)) && rerun.add(around);
            if (betweenTests && again) {
                // A container that crashed between its tests runs again too: it fails with the crash when it finishes there.
                crashedIn.put(victim, failure);
            } else {
                finish(worker.id(), plan.identifier(victim), failure);
            }
            for (int i = open.size() - 2; i >= 0 && !again; i--) {
                String container = open.get(i);
                if (!container.equals(unit.root())) {
                    TestExecutionResult aborted = TestExecutionResult.aborted(new WorkerCrashedException(line + "; the rest of "
                            + path(container) + " did not run" + (rerun.contains(container) ? ", it crashed a worker twice" : "")));
                    finish(worker.id(), plan.identifier(container), aborted);
                }
            }
            List<String> rest = new ArrayList<>();
            if (again) {
                rest.add(around);
            }
            rest.addAll(notStarted(unit, worker));
            if (rest.isEmpty()) {
                rootPart(unit.root(), TestExecutionResult.successful(), null, 0, worker.id());
            } else {
                schedule.resume(unit.root(), rest, history);
            }
        }
        dispatchIdle();
        checkComplete();
        return line;
    }

    /** What the unit selected that its worker had not started. */
    private List<String> notStarted(Unit unit, Worker worker) {
        return (unit.isWhole() ? children(unit.root()) : unit.selection()).stream().filter(id -> !worker.seen.contains(id)).toList();
    }

    /** Gives up the units no worker is left to run, once the suite is discovered: each fails, saying why. */
    void abandon(String why) {
        for (Unit unit : schedule.drain()) {
            TestExecutionResult notRun = TestExecutionResult.failed(new WorkerCrashedException("not run: " + why));
            rootPart(unit.root(), notRun, null, 0, name);
        }
        checkComplete();
    }

    private List<Worker> idleWorkers() {
        return workers.stream().filter(w -> w.ready && w.unit == null && !w.gone).toList();
    }

    private List<String> children(String uid) {
        return plan.descriptor(uid).getChildren().stream().map(d -> d.getUniqueId().toString()).toList();
    }

    /** A test's path for people: its display names from the class down, as {@code FooTest > bar()}. */
    String path(String uid) {
        List<String> names = new ArrayList<>();
        for (TestDescriptor d = plan.descriptor(uid); d != null && d.getParent().isPresent(); d = d.getParent().orElse(null)) {
            names.add(0, d.getDisplayName());
        }
        return names.isEmpty() ? uid : String.join(" > ", names);
    }

    private void each(Consumer<TestExecutionListener> call) {
        for (TestExecutionListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                warnings.println("jexecnet test: a test execution listener failed (" + listener.getClass().getName() + "): " + e);
            }
        }
    }

    // ---- what the run leaves

    SummaryGeneratingListener summary() {
        return summary;
    }

    Outcomes outcomes() {
        return outcomes;
    }

    MirrorPlan plan() {
        return plan;
    }

    String runtime() {
        return runtime;
    }

    /**
     * The durations the next run's schedule needs: each top-level container's, and those of the direct
     * children of a container that took a second or more, which may be split by them.
     */
    Map<String, Double> durationsWorthKeeping() {
        Map<String, Double> kept = new HashMap<>();
        durations.forEach((uid, seconds) -> {
            String parent = plan.descriptor(uid).getParent().map(d -> d.getUniqueId().toString()).orElse("");
            if (roots.containsKey(uid) || roots.containsKey(parent) && durations.getOrDefault(parent, 0.0) >= SPLITTABLE_SECONDS) {
                kept.put(uid, seconds);
            }
        });
        return kept;
    }

    /**
     * Each whole class's time as the first of its package in its worker's JVM (or after only shorter ones),
     * or after a longer class of its package there, and how busy it kept its JVM's processors.
     */
    History.Locality locality() {
        Map<String, Double> alone = new HashMap<>();
        Map<String, Double> after = new HashMap<>();
        for (List<Ran> sequence : sequences.values()) {
            for (int i = 0; i < sequence.size(); i++) {
                Ran ran = sequence.get(i);
                if (!ran.whole()) {
                    continue; // a part warms its JVM for what follows, but says nothing of its class's time
                }
                String group = schedule.groupOf(ran.root());
                boolean longerBefore = false;
                for (int j = 0; j < i && !longerBefore; j++) {
                    longerBefore = sequence.get(j).seconds() >= ran.seconds() && schedule.groupOf(sequence.get(j).root()).equals(group);
                }
                (longerBefore ? after : alone).put(ran.root(), ran.seconds());
            }
        }
        return new History.Locality(alone, after, cpu);
    }

    Set<String> ran() {
        return ran;
    }

    Set<String> failed() {
        return failed;
    }

    List<String> crashes() {
        return crashes;
    }
}
