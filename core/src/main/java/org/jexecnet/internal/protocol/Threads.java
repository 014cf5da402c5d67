package org.jexecnet.internal.protocol;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ThreadFactory;
import org.jexecnet.ExecModel;

/**
 * Threads by execution model. Virtual threads are found at run time, since the library is built for
 * Java 17, which lacks them.
 */
public final class Threads {
    private Threads() {}

    private static final MethodHandle UNSTARTED_VIRTUAL = findUnstartedVirtual();

    private static MethodHandle findUnstartedVirtual() {
        try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
            Object builder = lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtual)).invoke();
            return lookup.findVirtual(Class.forName("java.lang.Thread$Builder"), "unstarted",
                    MethodType.methodType(Thread.class, Runnable.class)).bindTo(builder);
        } catch (Throwable absent) {
            return null;
        }
    }

    /**
     * Makes daemon threads of the model's kind: virtual ones for {@link ExecModel#VIRTUAL}, platform
     * ones otherwise.
     *
     * @throws IllegalStateException when the model needs virtual threads and this JVM has none
     */
    public static ThreadFactory factory(ExecModel model) {
        if (model != ExecModel.VIRTUAL) {
            return task -> {
                Thread thread = new Thread(task);
                thread.setDaemon(true);
                return thread;
            };
        }
        if (UNSTARTED_VIRTUAL == null) {
            throw new IllegalStateException("execmodel=virtual needs virtual threads (Java 21 or newer), but this JVM runs Java "
                    + Runtime.version() + " (" + System.getProperty("java.home") + ")");
        }
        return task -> {
            try {
                return (Thread) UNSTARTED_VIRTUAL.invoke(task);
            } catch (Throwable e) {
                throw new IllegalStateException("cannot make a virtual thread: " + e, e);
            }
        };
    }
}
