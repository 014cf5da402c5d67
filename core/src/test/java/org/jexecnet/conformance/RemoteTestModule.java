package org.jexecnet.conformance;

import org.jexecnet.Channel;

/** execnet's remotetest.py of test_remote_exec_module_with_traceback: a module whose function fails. */
final class RemoteTestModule {
    private RemoteTestModule() {}

    static void run_me(Channel channel) {
        throw new IllegalArgumentException("me"); // line 10: the remote stack trace names it
    }

    static void run(Channel channel) {
        run_me(channel);
    }
}
