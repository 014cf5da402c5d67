package org.jexecnet.junit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.jexecnet.junit.internal.wire.Failure;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** A worker's failure, rebuilt on the master: of its own class where that is safe, else a stand-in that prints as the original. */
class RemoteThrowablesTest {
    @Test
    void theJdksAndOpentest4jsExceptionsComeBackAsThemselvesWithTheirTracesAndCauses() {
        IllegalStateException original = new IllegalStateException("outer", new IOException("inner"));
        Throwable rebuilt = RemoteThrowables.of(Failure.of(original));
        assertSame(IllegalStateException.class, rebuilt.getClass());
        assertEquals("outer", rebuilt.getMessage());
        assertSame(IOException.class, rebuilt.getCause().getClass());
        assertEquals(printed(original.getStackTrace()), printed(rebuilt.getStackTrace()), "the stack trace prints as the worker's");
        assertInstanceOf(AssertionFailedError.class, RemoteThrowables.of(Failure.of(new AssertionFailedError("expected <1>"))));
    }

    @Test
    void otherClassesAreStandInsThatPrintAsTheOriginal() {
        Throwable error = RemoteThrowables.of(new Failure("com.acme.Boom", "it went off", false, List.of(new Failure.Frame(null, null, null,
                "com.acme.Bomb", "fuse", "Bomb.java", 42)), null, List.of()));
        assertInstanceOf(ExceptionOnWorker.class, error);
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        assertEquals("com.acme.Boom: it went off\n\tat com.acme.Bomb.fuse(Bomb.java:42)\n", trace.toString());
        Throwable failure = RemoteThrowables.of(assertion("org.junit.ComparisonFailure", "expected:<[a]> but was:<[b]>"));
        assertInstanceOf(AssertionError.class, failure);
        assertEquals("org.junit.ComparisonFailure: expected:<[a]> but was:<[b]>", failure.toString());
    }

    @Test
    void aWorkerCannotMakeTheMasterRunAnythingButAThrowablesConstructor() {
        for (String type : List.of("java.lang.Runtime", "java.lang.Thread", "java.io.File", "org.opentest4j.ValueWrapper", "java.lang.NoSuch")) {
            assertInstanceOf(ExceptionOnWorker.class, RemoteThrowables.of(Failure.described(type, "/tmp/x")), type);
        }
        // an assertion flag that contradicts the class: not rebuilt as that class
        assertInstanceOf(AssertionErrorOnWorker.class, RemoteThrowables.of(assertion("java.lang.IllegalStateException", "x")));
    }

    private static Failure assertion(String type, String message) {
        return new Failure(type, message, true, List.of(), null, List.of());
    }

    private static List<String> printed(StackTraceElement[] trace) {
        return java.util.Arrays.stream(trace).map(StackTraceElement::toString).toList();
    }
}
