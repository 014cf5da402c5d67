package org.jexecnet.internal.transport;

import org.jexecnet.ExecModel;
import org.jexecnet.XSpec;

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
            default -> spec.has("python") ? PythonPopen.start(spec, id, model) : Popen.start(spec, id, model);
        };
    }
}
