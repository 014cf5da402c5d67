package org.jexecnet.junit.internal.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.jexecnet.Execnet;
import org.jexecnet.Tuple;
import org.junit.jupiter.api.Test;

/** Every message survives the serializer both ways, and what a hostile peer sends instead is refused with the reason. */
class WireMessagesTest {
    private static final Node CLASS = new Node("[engine:junit-jupiter]/[class:a.FooTest]", "[engine:junit-jupiter]", "FooTest", "a.FooTest",
            "CONTAINER", "class:a.FooTest", List.of("fast"), true);

    /** Through the serializer's bytes, as a channel carries it. */
    private static Object travelled(Object value) {
        return Execnet.loads(Execnet.dumps(value));
    }

    @Test
    void everyEventAndRequestReadsBackAsItWasWritten() {
        Failure failure = Failure.of(new IllegalStateException("outer", new IOException("inner")));
        List<WorkerEvent> events = List.of(new WorkerEvent.Ready("17.0.15"), new WorkerEvent.Plan(List.of(CLASS)), new WorkerEvent.Dynamic(CLASS),
                new WorkerEvent.Started(CLASS.uniqueId()), new WorkerEvent.Finished(CLASS.uniqueId(), "FAILED", failure, 12_345_678_901L),
                new WorkerEvent.Finished(CLASS.uniqueId(), "SUCCESSFUL", null, 5), new WorkerEvent.Skipped(CLASS.uniqueId(), null),
                new WorkerEvent.Reported(CLASS.uniqueId(), "2026-01-02T03:04:05", Map.of("stdout", "hello\n")), new WorkerEvent.UnitDone(7, 1_500_000_000L),
                new WorkerEvent.Fatal(Failure.of(new OutOfMemoryError("Java heap space"))));
        for (WorkerEvent event : events) {
            assertEquals(event, WorkerEvent.fromWire(travelled(event.toWire())));
        }
        for (Request request : List.of(new Request.Discover(), new Request.Run(3, List.of("[engine:x]/[class:y]")))) {
            assertEquals(request, Request.fromWire(travelled(request.toWire())));
        }
        Suite suite = new Suite(List.of("/a", "/b.jar"), List.of("root:0"), List.of(".*Test"), List.of(), List.of("fast"), List.of(), Map.of("k", "v"));
        assertEquals(suite, Suite.fromWire(suite.toWire()));
        assertEquals("java.io.IOException", failure.cause().type());
        assertTrue(failure.frames().size() > 1);
    }

    @Test
    void malformedMessagesAreRefusedSayingWhatWasWrong() {
        assertRefused("expected a tagged message", () -> WorkerEvent.fromWire(List.of()));
        assertRefused("expected a worker event", () -> WorkerEvent.fromWire(Tuple.of("explode")));
        assertRefused("expected a started message of 2 items", () -> WorkerEvent.fromWire(Tuple.of("started")));
        assertRefused("expected a unique id (a string), got Integer 5", () -> WorkerEvent.fromWire(Tuple.of("started", 5)));
        assertRefused("expected a status, SUCCESSFUL, ABORTED or FAILED", () -> WorkerEvent.fromWire(Tuple.of("finished", "u", "GREAT", null, 1)));
        assertRefused("expected a node type", () -> Node.fromWire(Tuple.of("u", null, "d", "l", "BOTH", null, List.of(), false)));
        assertRefused("expected a tags (a list)", () -> Node.fromWire(Tuple.of("u", null, "d", "l", "TEST", null, "fast", false)));
        assertRefused("expected a request", () -> Request.fromWire(Tuple.of("format_disk")));
        assertRefused("expected a a value of configuration parameters (a string)", () -> Suite.fromWire(Map.of("classpath", List.of(),
                "selectors", List.of(), "include_classnames", List.of(), "exclude_classnames", List.of(), "include_tags", List.of(),
                "exclude_tags", List.of(), "config", Map.of("k", 1))));
    }

    @Test
    void failuresAreBoundedInDepthAndLength() {
        Throwable chain = new RuntimeException("0");
        for (int i = 1; i < 40; i++) {
            chain = new RuntimeException(String.valueOf(i), chain);
        }
        Failure bounded = Failure.of(chain);
        int depth = 0;
        for (Failure f = bounded; f != null; f = f.cause()) {
            depth++;
        }
        assertEquals(Failure.MAX_DEPTH, depth);
        assertEquals(bounded, Failure.fromWire(travelled(bounded.toWire())));

        Object tooDeep = null;
        for (int i = 0; i <= Failure.MAX_DEPTH; i++) {
            tooDeep = Tuple.of("java.lang.Error", null, false, List.of(), tooDeep, List.of());
        }
        Object deep = tooDeep;
        assertRefused("nested at most 16 deep", () -> Failure.fromWire(deep));
        List<Tuple> frames = java.util.Collections.nCopies(Failure.MAX_FRAMES + 1, Tuple.of(null, null, null, "C", "m", null, 1));
        assertRefused("at most 1024 frames", () -> Failure.fromWire(Tuple.of("java.lang.Error", null, false, frames, null, List.of())));
    }

    private static void assertRefused(String expected, org.junit.jupiter.api.function.Executable read) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, read);
        assertTrue(refused.getMessage().contains(expected), refused.getMessage());
    }
}
