package org.jexecnet;

import java.util.Locale;

/**
 * How a worker runs remote executions, chosen with a spec's {@code execmodel=} or
 * {@link Execnet#setExecModel(ExecModel, ExecModel)}.
 */
public enum ExecModel {
    /**
     * Each execution on a platform thread; one execution at a time runs on the worker's main thread,
     * which some libraries (GUI toolkits, signal handling) need.
     */
    THREAD,
    /**
     * Every execution on the worker's main thread, one after another. A second execution while one
     * still runs after a second's wait fails with an error; it does not queue.
     */
    MAIN_THREAD_ONLY,
    /** Each execution on a virtual thread: needs a Java 21 or newer worker. */
    VIRTUAL;

    /**
     * The name used in specs: {@code thread}, {@code main_thread_only} or {@code virtual}.
     *
     * @return the name
     */
    public String specName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The model of a spec name.
     *
     * @param name {@code thread}, {@code main_thread_only} or {@code virtual}
     * @return the model
     * @throws IllegalArgumentException for any other name, listing the valid ones
     */
    public static ExecModel fromSpecName(String name) {
        for (ExecModel model : values()) {
            if (model.specName().equals(name)) {
                return model;
            }
        }
        throw new IllegalArgumentException("unknown execmodel '" + name + "': use thread, main_thread_only or virtual");
    }
}
