package org.jexecnet.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jexecnet.internal.server.ServerKey;
import org.jexecnet.internal.server.SocketServer;
import org.jexecnet.internal.transport.SocketAuth;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jexecnet socketserver}: serves socket gateways to clients that prove the shared secret. It
 * takes the arguments of the core jar's {@code java -jar jexecnet.jar socketserver}: the address as
 * {@code --bind HOST:PORT} or as a plain argument.
 */
@Command(name = "socketserver", mixinStandardHelpOptions = true,
        description = {"Serve socket gateways over TLS 1.3: each connection that proves it knows the shared secret gets a worker JVM of its own.",
                "The secret comes from --secret-file or $JEXECNET_SECRET; clients name theirs with secret_file= in the spec.",
                "The core jar takes the same arguments: java -jar jexecnet.jar socketserver ..."},
        footerHeading = "%nExamples:%n",
        footer = {"  JEXECNET_SECRET=... jexecnet socketserver --bind 0.0.0.0:8888",
                "  jexecnet socketserver --secret-file ~/.jexecnet-secret :8888",
                "%nThe TLS key's default file:",
                "  ~/.config/jexecnet/socketserver-key.pem"})
final class SocketServerCommand implements Callable<Integer> {
    private static final String DEFAULT_ADDRESS = "127.0.0.1:8888";

    @Mixin
    Verbosity verbosity;

    @Option(names = "--bind", paramLabel = "HOST:PORT",
            description = "Where to listen (default: " + DEFAULT_ADDRESS + "; :PORT for loopback); a non-loopback address prints"
                    + " a warning.")
    String bind;

    @Parameters(arity = "0..1", paramLabel = "HOST:PORT", description = "As --bind.")
    String address;

    @Option(names = "--secret-file", paramLabel = "FILE", description = "The shared secret (mode 0600, 16 bytes or more); else $JEXECNET_SECRET.")
    Path secretFile;

    @Option(names = "--key-file", paramLabel = "FILE",
            description = "The server's TLS key (mode 0600), made on the first start; the default file is below.")
    Path keyFile;

    @Override
    public Integer call() {
        if (bind != null && address != null) {
            throw new IllegalArgumentException("give the address once: --bind " + bind + " or " + address);
        }
        String where = bind != null ? bind : address != null ? address : DEFAULT_ADDRESS;
        SocketServer.serveUntilKilled(where, SocketAuth.secret(secretFile == null ? null : secretFile.toString(), "socketserver"),
                keyFile == null ? ServerKey.defaultFile() : keyFile);
        return 0;
    }
}
