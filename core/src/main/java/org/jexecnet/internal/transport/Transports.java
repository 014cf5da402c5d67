package org.jexecnet.internal.transport;

import org.jexecnet.ExecModel;
import org.jexecnet.XSpec;
import org.jexecnet.internal.worker.WorkerSession;

/** Starts the worker a spec asks for, by its gateway type: the one place that maps types to transports. */
public final class Transports {
    private Transports() {}

    /**
     * Starts the worker and waits until it is ready. {@code via=} is the caller's to resolve: this runs
     * on the host the worker is started from.
     */
    public static WorkerLink open(XSpec spec, String id, ExecModel model) {
        return switch (spec.type()) {
            case "ssh", "vagrant_ssh" -> Ssh.start(spec, id, model);
            case "socket" -> SocketLink.connect(spec, id, model);
            default -> spec.has("python") ? PythonPopen.start(spec, id, model) : Popen.start(spec, session(spec, id, model));
        };
    }

    /** What a JVM worker for this spec is told first: the gateway it serves, and how. */
    public static WorkerSession session(XSpec spec, String id, ExecModel model) {
        return new WorkerSession(id, model, spec.heartbeatSeconds(), spec.windowBytes());
    }
}
