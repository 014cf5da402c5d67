package org.jexecnet.junit.internal.wire;

import java.util.List;
import java.util.Map;
import org.jexecnet.Tuple;

/** What a worker's runner tells the master, in the order it happens there. */
public sealed interface WorkerEvent {

    /**
     * The runner is up, its class path loaded.
     *
     * @param runtime the worker's Java runtime, such as {@code 17.0.15+6-Debian-1deb12u1}
     */
    record Ready(String runtime) implements WorkerEvent {}

    /**
     * The suite as discovered, parents before their children.
     *
     * @param nodes every engine, container and test
     */
    record Plan(List<Node> nodes) implements WorkerEvent {
        public Plan {
            nodes = List.copyOf(nodes);
        }
    }

    /**
     * A test or container registered while running, such as an invocation of a parameterized test.
     *
     * @param node it
     */
    record Dynamic(Node node) implements WorkerEvent {}

    /**
     * A test or container started.
     *
     * @param uniqueId its unique id
     */
    record Started(String uniqueId) implements WorkerEvent {}

    /**
     * A test or container finished.
     *
     * @param uniqueId its unique id
     * @param status {@code SUCCESSFUL}, {@code ABORTED} or {@code FAILED}
     * @param failure why it failed or was aborted, or null
     * @param nanos how long it ran on the worker
     */
    record Finished(String uniqueId, String status, Failure failure, long nanos) implements WorkerEvent {}

    /**
     * A test or container was skipped.
     *
     * @param uniqueId its unique id
     * @param reason why
     */
    record Skipped(String uniqueId, String reason) implements WorkerEvent {}

    /**
     * A test published a report entry; captured stdout and stderr come this way.
     *
     * @param uniqueId the test's unique id
     * @param timestamp when, as an ISO local date-time
     * @param entries the key-value pairs
     */
    record Reported(String uniqueId, String timestamp, Map<String, String> entries) implements WorkerEvent {
        public Reported {
            entries = Map.copyOf(entries);
        }
    }

    /**
     * A unit is done: the worker takes the next.
     *
     * @param unit the unit's number
     * @param cpuNanos the CPU time its JVM spent meanwhile, all threads, or -1 when the JVM does not say
     */
    record UnitDone(int unit, long cpuNanos) implements WorkerEvent {}

    /**
     * The JUnit Platform let an error through that it does not recover from (an {@link OutOfMemoryError}):
     * the worker is not to be trusted with more tests.
     *
     * @param failure the error
     */
    record Fatal(Failure failure) implements WorkerEvent {}

    default Tuple toWire() {
        if (this instanceof Ready ready) {
            return Tuple.of("ready", ready.runtime());
        } else if (this instanceof Plan plan) {
            return Tuple.of("plan", plan.nodes().stream().map(Node::toWire).toList());
        } else if (this instanceof Dynamic dynamic) {
            return Tuple.of("dynamic", dynamic.node().toWire());
        } else if (this instanceof Started started) {
            return Tuple.of("started", started.uniqueId());
        } else if (this instanceof Finished finished) {
            return Tuple.of("finished", finished.uniqueId(), finished.status(),
                    finished.failure() == null ? null : finished.failure().toWire(), finished.nanos());
        } else if (this instanceof Skipped skipped) {
            return Tuple.of("skipped", skipped.uniqueId(), skipped.reason());
        } else if (this instanceof Reported reported) {
            return Tuple.of("reported", reported.uniqueId(), reported.timestamp(), reported.entries());
        } else if (this instanceof UnitDone done) {
            return Tuple.of("unit_done", done.unit(), done.cpuNanos());
        }
        return Tuple.of("fatal", ((Fatal) this).failure().toWire());
    }

    static WorkerEvent fromWire(Object message) {
        String tag = Wire.tag(message);
        return switch (tag) {
            case "ready" -> new Ready(Wire.string(Wire.fields(message, tag, 2).get(1), "runtime"));
            case "plan" -> new Plan(Wire.list(Wire.fields(message, tag, 2).get(1), "plan nodes").stream().map(Node::fromWire).toList());
            case "dynamic" -> new Dynamic(Node.fromWire(Wire.fields(message, tag, 2).get(1)));
            case "started" -> new Started(Wire.string(Wire.fields(message, tag, 2).get(1), "unique id"));
            case "finished" -> {
                Tuple t = Wire.fields(message, tag, 5);
                String status = Wire.string(t.get(2), "status");
                if (!List.of("SUCCESSFUL", "ABORTED", "FAILED").contains(status)) {
                    throw Wire.malformed("status, SUCCESSFUL, ABORTED or FAILED", status);
                }
                yield new Finished(Wire.string(t.get(1), "unique id"), status, t.get(3) == null ? null : Failure.fromWire(t.get(3)),
                        Wire.number(t.get(4), "duration"));
            }
            case "skipped" -> {
                Tuple t = Wire.fields(message, tag, 3);
                yield new Skipped(Wire.string(t.get(1), "unique id"), Wire.optionalString(t.get(2), "skip reason"));
            }
            case "reported" -> {
                Tuple t = Wire.fields(message, tag, 4);
                yield new Reported(Wire.string(t.get(1), "unique id"), Wire.string(t.get(2), "timestamp"),
                        Wire.stringMap(t.get(3), "report entry"));
            }
            case "unit_done" -> {
                List<Object> t = Wire.fields(message, tag, 3);
                yield new UnitDone(Wire.integer(t.get(1), "unit number"), Wire.number(t.get(2), "CPU nanoseconds"));
            }
            case "fatal" -> new Fatal(Failure.fromWire(Wire.fields(message, tag, 2).get(1)));
            default -> throw Wire.malformed("worker event", message);
        };
    }
}
