package org.jexecnet.junit.internal.wire;

import java.util.ArrayList;
import java.util.List;
import org.jexecnet.Tuple;

/**
 * A throwable from a worker, as data: its class name, message, stack frames, cause and suppressed
 * exceptions. The master rebuilds a throwable from it for the reports; it never loads the named class
 * unless it is one of the JDK's or the JUnit Platform's own (see the master's reading of it).
 *
 * @param type the throwable's class name
 * @param message its message, or null
 * @param assertion whether it is an {@link AssertionError}, which the reports count as a failure, not an error
 * @param frames its stack trace
 * @param cause its cause, or null
 * @param suppressed the exceptions it suppressed
 */
public record Failure(String type, String message, boolean assertion, List<Frame> frames, Failure cause, List<Failure> suppressed) {
    /** How deep causes and suppressed exceptions nest before the rest is left out: a cycle or a runaway chain ends here. */
    static final int MAX_DEPTH = 16;
    /** Frames kept of one throwable. */
    static final int MAX_FRAMES = 1024;

    /**
     * One stack frame, all that a {@link StackTraceElement} holds.
     *
     * @param classLoader the name of the declaring class's loader, or null
     * @param module the declaring class's module, or null
     * @param moduleVersion that module's version, or null
     * @param className the declaring class
     * @param method the method
     * @param file the source file, or null
     * @param line the line, negative when unknown
     */
    public record Frame(String classLoader, String module, String moduleVersion, String className, String method, String file, int line) {
        /**
         * The frame with the loader name and module version only where the JVM prints them (it leaves out
         * the built-in loaders' names and the JDK modules' versions), so that the master prints it the same.
         */
        static Frame of(StackTraceElement element) {
            String shown = element.toString();
            String loader = element.getClassLoaderName();
            String version = element.getModuleVersion();
            return new Frame(loader != null && shown.startsWith(loader + "/") ? loader : null, element.getModuleName(),
                    version != null && shown.contains("@" + version + "/") ? version : null, element.getClassName(), element.getMethodName(),
                    element.getFileName(), element.getLineNumber());
        }

        public StackTraceElement toElement() {
            return new StackTraceElement(classLoader, module, moduleVersion, className, method, file, line);
        }

        Tuple toWire() {
            return Tuple.of(classLoader, module, moduleVersion, className, method, file, line);
        }

        static Frame fromWire(Object value) {
            if (!(value instanceof Tuple t) || t.size() != 7) {
                throw Wire.malformed("stack frame of 7 items", value);
            }
            return new Frame(Wire.optionalString(t.get(0), "frame class loader"), Wire.optionalString(t.get(1), "frame module"),
                    Wire.optionalString(t.get(2), "frame module version"), Wire.string(t.get(3), "frame class"),
                    Wire.string(t.get(4), "frame method"), Wire.optionalString(t.get(5), "frame file"), Wire.integer(t.get(6), "frame line"));
        }
    }

    public Failure {
        frames = List.copyOf(frames.subList(0, Math.min(frames.size(), MAX_FRAMES)));
        suppressed = List.copyOf(suppressed);
    }

    /** Describes a throwable and, to a bounded depth, its causes and suppressed exceptions. */
    public static Failure of(Throwable throwable) {
        return of(throwable, 0);
    }

    private static Failure of(Throwable throwable, int depth) {
        List<Frame> frames = new ArrayList<>();
        for (StackTraceElement element : throwable.getStackTrace()) {
            frames.add(Frame.of(element));
        }
        boolean deeper = depth + 1 < MAX_DEPTH;
        Throwable cause = throwable.getCause();
        List<Failure> suppressed = new ArrayList<>();
        if (deeper) {
            for (Throwable other : throwable.getSuppressed()) {
                suppressed.add(of(other, depth + 1));
            }
        }
        return new Failure(throwable.getClass().getName(), throwable.getMessage(), throwable instanceof AssertionError, frames,
                cause != null && cause != throwable && deeper ? of(cause, depth + 1) : null, suppressed);
    }

    /** A failure that has no throwable behind it, such as a crashed worker; no frames. */
    public static Failure described(String type, String message) {
        return new Failure(type, message, false, List.of(), null, List.of());
    }

    public Tuple toWire() {
        return Tuple.of(type, message, assertion, frames.stream().map(Frame::toWire).toList(), cause == null ? null : cause.toWire(),
                suppressed.stream().map(Failure::toWire).toList());
    }

    public static Failure fromWire(Object value) {
        return fromWire(value, 0);
    }

    private static Failure fromWire(Object value, int depth) {
        if (!(value instanceof Tuple t) || t.size() != 6) {
            throw Wire.malformed("failure of 6 items", value);
        }
        if (depth >= MAX_DEPTH) {
            throw Wire.malformed("failure nested at most " + MAX_DEPTH + " deep", "a deeper one");
        }
        List<?> frameValues = Wire.list(t.get(3), "stack frames");
        if (frameValues.size() > MAX_FRAMES) {
            throw Wire.malformed("stack trace of at most " + MAX_FRAMES + " frames", frameValues.size() + " frames");
        }
        List<Failure> suppressed = new ArrayList<>();
        for (Object other : Wire.list(t.get(5), "suppressed exceptions")) {
            suppressed.add(fromWire(other, depth + 1));
        }
        return new Failure(Wire.string(t.get(0), "exception type"), Wire.optionalString(t.get(1), "exception message"),
                Wire.bool(t.get(2), "assertion flag"), frameValues.stream().map(Frame::fromWire).toList(),
                t.get(4) == null ? null : fromWire(t.get(4), depth + 1), suppressed);
    }
}
