package org.jexecnet.junit.internal;

import java.lang.reflect.Constructor;
import org.jexecnet.junit.internal.wire.Failure;
import org.opentest4j.AssertionFailedError;

/**
 * Throwables rebuilt from a worker's failures, for the master's reports: of their own class when that is
 * the JDK's or opentest4j's (whose constructors do nothing but keep a message), else a stand-in that
 * prints as the original. Never a class a worker names from elsewhere: the worker's bytes do not choose
 * code for the master to run.
 */
final class RemoteThrowables {
    private RemoteThrowables() {}

    static Throwable of(Failure failure) {
        Throwable throwable = ownClass(failure);
        if (throwable == null) {
            throwable = failure.assertion() ? new AssertionErrorOnWorker(failure.type(), failure.message())
                    : new ExceptionOnWorker(failure.type(), failure.message());
        }
        throwable.setStackTrace(failure.frames().stream().map(Failure.Frame::toElement).toArray(StackTraceElement[]::new));
        if (failure.cause() != null) {
            try {
                throwable.initCause(of(failure.cause()));
            } catch (IllegalStateException | IllegalArgumentException causeFixed) {
                // a constructor that sets its own cause keeps it
            }
        }
        for (Failure suppressed : failure.suppressed()) {
            throwable.addSuppressed(of(suppressed));
        }
        return throwable;
    }

    private static Throwable ownClass(Failure failure) {
        String type = failure.type();
        ClassLoader loader;
        if (type.startsWith("java.")) {
            loader = ClassLoader.getPlatformClassLoader();
        } else if (type.startsWith("org.opentest4j.")) {
            loader = AssertionFailedError.class.getClassLoader();
        } else {
            return null;
        }
        try {
            Class<?> found = Class.forName(type, false, loader);
            if (!Throwable.class.isAssignableFrom(found)) {
                return null;
            }
            Constructor<?> constructor = found.getConstructor(String.class);
            Throwable throwable = (Throwable) constructor.newInstance(failure.message());
            return failure.assertion() == throwable instanceof AssertionError ? throwable : null;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }
}
