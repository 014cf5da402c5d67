package org.jexecnet.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.jexecnet.Gateway;
import org.jexecnet.Group;
import org.jexecnet.RSync;

/**
 * execnet's RSync example, in Java: a directory sent to two gateways, then sent again after a change,
 * when only the changed file travels.
 */
public final class RSyncExample {
    private RSyncExample() {}

    /**
     * Runs the example in a temporary directory.
     *
     * @param args unused
     * @throws IOException when the files cannot be written
     */
    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("rsync-example");
        run(dir, System.out);
    }

    /** Returns how many files travelled in the first send and in the second. */
    static int[] run(Path dir, PrintStream out) throws IOException {
        Path source = Files.createDirectories(dir.resolve("site/pages"));
        Files.writeString(source.resolve("index.html"), "<h1>hello</h1>");
        Files.writeString(source.resolve("about.html"), "<p>about</p>");
        try (Group group = new Group("popen//id=web1", "popen//id=web2")) {
            AtomicInteger sent = new AtomicInteger();
            RSync.Listener count = new RSync.Listener() {
                @Override
                public void transferred(Gateway target, String path, long bytes) {
                    sent.incrementAndGet();
                }
            };
            RSync rsync = new RSync(source.getParent()).listener(count).verbose(out);
            for (Gateway gateway : group) {
                rsync.addTarget(gateway, dir.resolve("copy-" + gateway.id()).toString());
            }
            rsync.send();
            int first = sent.getAndSet(0);

            Files.writeString(source.resolve("index.html"), "<h1>hello, again</h1>");
            RSync again = new RSync(source.getParent()).listener(count).verbose(out);
            for (Gateway gateway : group) {
                again.addTarget(gateway, dir.resolve("copy-" + gateway.id()).toString());
            }
            again.send();
            out.println("first send: " + first + " files, second: " + sent.get());
            return new int[] {first, sent.get()};
        }
    }
}
