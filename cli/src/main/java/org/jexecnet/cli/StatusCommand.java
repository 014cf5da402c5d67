package org.jexecnet.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.jexecnet.Gateway;
import org.jexecnet.Group;
import org.jexecnet.RemoteInfo;
import org.jexecnet.RemoteStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code jexecnet status SPEC}: starts the gateway and prints its remote status and remote info. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Start a gateway and print its remote status and what runs there.",
                "Example: jexecnet status ssh=build7//java=/opt/jdk21/bin/java"})
final class StatusCommand implements Callable<Integer> {
    private static final Duration T = Duration.ofSeconds(60);

    @Spec
    CommandSpec spec;

    @Mixin
    Verbosity verbosity;

    @Parameters(paramLabel = "SPEC", description = "The gateway spec, such as popen or ssh=host.")
    String gatewaySpec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        long start = System.nanoTime();
        try (Group group = new Group(gatewaySpec)) {
            Gateway gateway = group.get(0);
            long started = System.nanoTime();
            RemoteStatus status = gateway.remoteStatus(T);
            RemoteInfo info = gateway.remoteInfo(T);
            out.printf("gateway     %s (%s), up in %d ms%n", gateway.id(), gateway.spec(), (started - start) / 1_000_000);
            out.printf("runtime     %s%n", info.runtime());
            out.printf("library     %s%n", info.library());
            out.printf("executable  %s%n", info.executable());
            out.printf("pid         %d on %s%n", info.pid(), info.platform());
            out.printf("cwd         %s%n", info.cwd());
            out.printf("execmodel   %s%n", status.execModel());
            out.printf("executing   %d, channels open %d%n", status.numExecuting(), status.numChannels());
        }
        return 0;
    }
}
