package org.jexecnet.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jexecnet.internal.server.ServerKey;
import org.jexecnet.internal.server.SocketServer;
import org.jexecnet.internal.transport.SocketAuth;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code jexecnet socketserver}: serves socket gateways to clients that prove the shared secret. */
@Command(name = "socketserver", mixinStandardHelpOptions = true,
        description = {"Serve socket gateways over TLS 1.3: each connection that proves it knows the shared secret gets a worker JVM of its own.",
                "The secret comes from --secret-file or $JEXECNET_SECRET; clients name theirs with secret_file= in the spec.",
                "Example: JEXECNET_SECRET=... jexecnet socketserver --bind 0.0.0.0:8888"})
final class SocketServerCommand implements Callable<Integer> {
    @Mixin
    Verbosity verbosity;

    @Option(names = "--bind", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8888",
            description = "Where to listen (default: ${DEFAULT-VALUE}); a non-loopback address prints a warning.")
    String bind;

    @Option(names = "--secret-file", paramLabel = "FILE", description = "The shared secret (mode 0600, 16 bytes or more); else $JEXECNET_SECRET.")
    Path secretFile;

    @Option(names = "--key-file", paramLabel = "FILE",
            description = "The server's TLS key, made there (mode 0600) on the first start; default: ~/.config/jexecnet/socketserver-key.pem.")
    Path keyFile;

    @Override
    public Integer call() {
        SocketServer.serveUntilKilled(bind, SocketAuth.secret(secretFile == null ? null : secretFile.toString(), "socketserver"),
                keyFile == null ? ServerKey.defaultFile() : keyFile);
        return 0;
    }
}
