package org.jexecnet.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.jexecnet.Gateway;
import org.jexecnet.Group;
import org.jexecnet.RSync;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code jexecnet rsync SRC SPEC:DEST}: sends a directory tree, only what changed, with a progress bar. */
@Command(name = "rsync", mixinStandardHelpOptions = true,
        description = {"Send a directory tree to a gateway's host: only what changed travels.",
                "The target is SPEC:DEST, split at the last colon: ssh=build7:/srv/site, popen:/tmp/copy.",
                "Example: jexecnet rsync ./site ssh=deploy@web1:/srv/site --delete"})
final class RsyncCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Verbosity verbosity;

    @Parameters(index = "0", paramLabel = "SRC", description = "The directory to send.")
    Path source;

    @Parameters(index = "1", paramLabel = "SPEC:DEST", description = "The gateway spec and the directory there.")
    String target;

    @Option(names = "--delete", description = "Remove at the destination what the source does not have.")
    boolean delete;

    @Option(names = "--no-progress", description = "No progress bar, only the summary.")
    boolean quiet;

    @Override
    public Integer call() {
        int colon = target.lastIndexOf(':');
        if (colon <= 0 || colon == target.length() - 1) {
            throw new IllegalArgumentException("'" + target + "' is not SPEC:DEST, as in popen:/tmp/copy or ssh=host:/srv/site");
        }
        if (!Files.isDirectory(source)) {
            throw new IllegalArgumentException(source + " is not a directory");
        }
        String gatewaySpec = target.substring(0, colon);
        String dest = target.substring(colon + 1);
        PrintWriter out = spec.commandLine().getOut();
        AtomicLong files = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        long start = System.nanoTime();
        try (Group group = new Group(gatewaySpec)) {
            Gateway gateway = group.get(0);
            ProgressBar[] bar = {null};
            AtomicLong before = new AtomicLong(); // bytes of the files finished before the one in progress
            try {
                new RSync(source).addTarget(gateway, dest, delete, () -> {}).listener(new RSync.Listener() {
                    @Override
                    public void listed(Gateway target, int count, long total) {
                        if (!quiet && total > 0) {
                            bar[0] = new ProgressBarBuilder().setTaskName("rsync").setInitialMax(total).setUnit(" MB", 1_000_000)
                                    .setStyle(ProgressBarStyle.ASCII).showSpeed().build();
                        }
                    }

                    @Override
                    public void progress(Gateway target, String path, long done, long total) {
                        if (bar[0] != null) {
                            bar[0].stepTo(before.get() + done);
                            bar[0].setExtraMessage(path);
                        }
                    }

                    @Override
                    public void transferred(Gateway target, String path, long sent) {
                        files.incrementAndGet();
                        bytes.addAndGet(sent);
                        before.addAndGet(sent);
                    }
                }).send();
                if (bar[0] != null) {
                    bar[0].stepTo(bar[0].getMax());
                }
            } finally {
                if (bar[0] != null) {
                    bar[0].close();
                }
            }
        }
        out.printf("%s -> %s: %d files updated, %,d bytes sent, %d ms%n", source, target, files.get(), bytes.get(),
                (System.nanoTime() - start) / 1_000_000);
        return 0;
    }
}
