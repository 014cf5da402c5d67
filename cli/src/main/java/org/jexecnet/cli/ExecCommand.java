package org.jexecnet.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.jexecnet.Channel;
import org.jexecnet.ChannelTimeoutException;
import org.jexecnet.ExecnetException;
import org.jexecnet.Group;
import org.jexecnet.MultiChannel;
import org.jexecnet.Received;
import org.jexecnet.RemoteException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code jexecnet exec}: runs Java statements (or Python, on a python= gateway) and prints what they send. */
@Command(name = "exec", mixinStandardHelpOptions = true,
        description = {"Run code on one or more gateways with `channel` in scope, and print each item it sends, a line each"
                + " (prefixed with the gateway's id when there are several). Bytes print as text when they are UTF-8,"
                + " else in hex."},
        footerHeading = "%nExamples:%n",
        footer = {"  jexecnet exec 'channel.send(Runtime.version().toString());'",
                "  jexecnet exec -g popen -g popen 'channel.send(ProcessHandle.current().pid());'",
                "  jexecnet exec -f snippet.java",
                "  echo 'channel.send(42);' | jexecnet exec -f -"})
final class ExecCommand implements Callable<Integer> {
    private static final Object END = new Object();

    @Spec
    CommandSpec spec;

    @Mixin
    Verbosity verbosity;

    @Option(names = {"-g", "--gateway"}, paramLabel = "SPEC", description = "A gateway spec, such as popen or ssh=host; repeat for"
            + " several (default: popen).")
    List<String> gateways = new ArrayList<>();

    @ArgGroup(exclusive = true, multiplicity = "1")
    Code code;

    static final class Code {
        @Parameters(paramLabel = "CODE", description = "Java statements (Python source for a python= gateway).")
        String text;

        @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Read the code from a file; - reads it from stdin.")
        Path file;
    }

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long the code may stay silent before it is given up (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Override
    public Integer call() throws IOException, InterruptedException {
        String source = source();
        List<String> specs = gateways.isEmpty() ? List.of("popen") : gateways;
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Display display = new Display();
        boolean colors = Terminal.colors(Terminal.STDOUT);
        try (Group group = new Group(specs)) {
            List<Channel> channels = new ArrayList<>();
            group.forEach(gateway -> channels.add(gateway.remoteExec(source)));
            MultiChannel multi = new MultiChannel(channels);
            BlockingQueue<Received> queue = multi.makeReceiveQueue(END);
            boolean several = channels.size() > 1;
            for (int open = channels.size(); open > 0; ) {
                Received received = queue.poll(timeoutSeconds, TimeUnit.SECONDS);
                if (received == null) {
                    throw new ChannelTimeoutException("the code sent nothing and did not end", Duration.ofSeconds(timeoutSeconds));
                }
                if (received.item() == END) {
                    open--;
                    continue;
                }
                String prefix = several ? Terminal.paint("[" + received.channel().gateway().id() + "]", Terminal.CYAN, colors) + " " : "";
                out.println(prefix + display.show(received.item()));
                out.flush();
                if (display.firstHex()) {
                    err.println("(bytes that are not UTF-8 text are shown in hex)");
                    err.flush();
                }
            }
            for (Channel channel : channels) {
                awaitEnd(channel, several);
            }
        }
        return 0;
    }

    /** The code: the argument, a file's content, or stdin's for {@code -f -}. */
    private String source() throws IOException {
        if (code.file == null) {
            return code.text;
        }
        if (code.file.toString().equals("-")) {
            return new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        }
        return Files.readString(code.file);
    }

    /** Raises the channel's remote failure; with several gateways, saying which one failed. */
    private void awaitEnd(Channel channel, boolean several) {
        try {
            channel.waitClose(Duration.ofSeconds(timeoutSeconds));
        } catch (ExecnetException e) {
            if (!several) {
                throw e;
            }
            String what = e instanceof RemoteException ? Main.message(e).get(0) : e.getMessage();
            throw new ExecnetException("gateway " + channel.gateway().id() + ": " + what, e);
        }
    }
}
