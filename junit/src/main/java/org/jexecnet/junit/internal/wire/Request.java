package org.jexecnet.junit.internal.wire;

import java.util.List;
import org.jexecnet.Tuple;

/** What the master asks of a worker's runner, one message at a time; the runner ends when the channel closes. */
public sealed interface Request {

    /** Discover the whole suite and answer with its {@link WorkerEvent.Plan}. */
    record Discover() implements Request {}

    /**
     * Run a unit of work: the tests and containers with these unique ids, then say {@link WorkerEvent.UnitDone}.
     *
     * @param unit the unit's number, for the answer
     * @param uniqueIds what to select
     */
    record Run(int unit, List<String> uniqueIds) implements Request {
        public Run {
            uniqueIds = List.copyOf(uniqueIds);
        }
    }

    default Tuple toWire() {
        if (this instanceof Run run) {
            return Tuple.of("run", run.unit(), run.uniqueIds());
        }
        return Tuple.of("discover");
    }

    static Request fromWire(Object message) {
        return switch (Wire.tag(message)) {
            case "discover" -> {
                Wire.fields(message, "discover", 1);
                yield new Discover();
            }
            case "run" -> {
                Tuple t = Wire.fields(message, "run", 3);
                yield new Run(Wire.integer(t.get(1), "unit number"), Wire.strings(t.get(2), "unique ids"));
            }
            default -> throw Wire.malformed("request, discover or run", message);
        };
    }
}
