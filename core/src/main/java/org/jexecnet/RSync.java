package org.jexecnet;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.jexecnet.internal.rsync.Sender;
import org.jexecnet.internal.rsync.SourceTree;

/**
 * Sends a directory tree to one or many gateways, transferring only what changed: execnet's RSync.
 *
 * <pre>{@code
 * new RSync(Path.of("src/site"))
 *         .addTarget(web1, "/srv/site")
 *         .addTarget(web2, "/srv/site", RSync.Extras.DELETE, () -> System.out.println("web2 done"))
 *         .send();
 * }</pre>
 *
 * <p>The tree is walked once and its listing sent to every target; each target asks for the files whose
 * size or modification time differ from its copy, and a file whose content is the same (only touched)
 * costs a hash, not a transfer. Directories and files keep their permissions (directories always get
 * owner rwx) and modification times. A symbolic link to an absolute path inside the tree is re-rooted
 * under the destination; other links are kept as they are. With {@code delete}, a target removes what
 * the source no longer has, never anything outside its destination.
 *
 * <p>Beyond execnet: a file is written under a temporary name and renamed into place, so an
 * interrupted transfer never leaves a half-written file; files travel in 1 MiB chunks with at most
 * 8 MiB unacknowledged per target, so there is no size limit and memory stays bounded; a large file
 * (1 MiB to 2 GiB) that changed in part is sent as a delta against the target's old copy, as the rsync
 * tool does; and a {@link Listener} reports progress for a progress bar. The listing goes out while the
 * tree is walked, so targets compare their copies meanwhile. Fifos, devices and sockets are refused,
 * naming the path, unless the filter leaves them out: the targets stop where they are (directories of
 * the listing's earlier part may exist, no file is written) and stay added for the next send. A failure
 * on either side stops that target with the reason; temporary files of a killed transfer are removed
 * by the next sync of that directory. Directories keep their whole mode (setgid included), files their
 * permission bits. Waits have no time limit, since hashing a large file may take minutes: a peer that
 * is gone ends them through its connection. Targets must be JVM gateways.
 */
public final class RSync {
    /**
     * What RSync reports while it sends. Called from the thread that serves the target; every method
     * does nothing by default.
     */
    public interface Listener {
        /**
         * A target has compared the listing with its copy.
         *
         * @param target the gateway
         * @param files how many files it asked for
         * @param bytes their total size
         */
        default void listed(Gateway target, int files, long bytes) {}

        /**
         * Bytes of a file went out.
         *
         * @param target the gateway
         * @param path the file, relative to the source directory, with {@code /}
         * @param done bytes of it sent or matched so far
         * @param total its size
         */
        default void progress(Gateway target, String path, long done, long total) {}

        /**
         * A file's content arrived at a target and is in place (not called for a file that was only
         * touched, whose time and permissions are set without a transfer, or that vanished).
         *
         * @param target the gateway
         * @param path the file, relative to the source directory, with {@code /}
         * @param bytes the bytes that travelled for it: its size when sent whole, the new parts of a delta
         */
        default void transferred(Gateway target, String path, long bytes) {}
    }

    /** What a target does with what its destination has and the source does not. */
    public enum Extras {
        /** Leaves it there: the default, as execnet's. */
        KEEP,
        /** Removes it, as {@code rsync --delete} (never anything outside the destination). */
        DELETE
    }

    private record Target(Gateway gateway, String dest, boolean delete, Runnable finished) {}

    private final Path source;
    private Predicate<Path> filter = path -> true;
    private Listener listener = new Listener() {};
    private List<Target> targets = new ArrayList<>();

    /**
     * An RSync of a directory.
     *
     * @param sourceDir the directory whose contents go to each target's destination directory
     * @throws IllegalArgumentException when it is not a directory
     */
    public RSync(Path sourceDir) {
        if (!Files.isDirectory(sourceDir)) {
            throw new IllegalArgumentException("RSync source " + sourceDir + " is not a directory");
        }
        this.source = sourceDir;
    }

    /**
     * Which entries to send: called for every file, directory and link found, with its path.
     *
     * @param filter true to send the entry (a directory: with what is in it)
     * @return this
     */
    public RSync filter(Predicate<Path> filter) {
        this.filter = Objects.requireNonNull(filter);
        return this;
    }

    /**
     * Where progress goes.
     *
     * @param listener the listener
     * @return this
     */
    public RSync listener(Listener listener) {
        this.listener = Objects.requireNonNull(listener);
        return this;
    }

    /**
     * Prints each file a target receives, as execnet's verbose mode: {@code <gateway> <= path}.
     *
     * @param out where to print, such as {@code System.out}
     * @return this
     */
    public RSync verbose(PrintStream out) {
        Listener previous = listener;
        this.listener = new Listener() {
            @Override
            public void listed(Gateway target, int files, long bytes) {
                previous.listed(target, files, bytes);
            }

            @Override
            public void progress(Gateway target, String path, long done, long total) {
                previous.progress(target, path, done, total);
            }

            @Override
            public void transferred(Gateway target, String path, long bytes) {
                out.println(target + " <= " + path);
                previous.transferred(target, path, bytes);
            }
        };
        return this;
    }

    /**
     * Adds a target directory on a gateway, keeping there what the source does not have; it is created
     * when missing.
     *
     * @param gateway a JVM gateway
     * @param destDir the directory there
     * @return this
     */
    public RSync addTarget(Gateway gateway, String destDir) {
        return addTarget(gateway, destDir, Extras.KEEP, null);
    }

    /**
     * Adds a target directory on a gateway, created when missing.
     *
     * <pre>{@code
     * rsync.addTarget(gateway, "/srv/site", RSync.Extras.DELETE);    // as rsync --delete
     * }</pre>
     *
     * @param gateway a JVM gateway
     * @param destDir the directory there
     * @param extras what becomes of what is there and not in the source
     * @return this
     */
    public RSync addTarget(Gateway gateway, String destDir, Extras extras) {
        return addTarget(gateway, destDir, extras, null);
    }

    /**
     * Adds a target directory on a gateway, created when missing, and something to run once that
     * target has everything.
     *
     * @param gateway a JVM gateway
     * @param destDir the directory there
     * @param extras what becomes of what is there and not in the source
     * @param finished called once that target has everything, on the thread that served it; null for nothing
     * @return this
     */
    public RSync addTarget(Gateway gateway, String destDir, Extras extras, Runnable finished) {
        targets.add(new Target(Objects.requireNonNull(gateway, "gateway"), Objects.requireNonNull(destDir, "destDir"),
                Objects.requireNonNull(extras, "extras") == Extras.DELETE, finished == null ? () -> {} : finished));
        return this;
    }

    /**
     * Whether there are targets to send to: some were added since the last {@link #send()}. As
     * execnet's {@code send(raises=False)}: {@code if (rsync.hasTargets()) rsync.send();}
     *
     * @return true when {@code send} has somewhere to send
     */
    public boolean hasTargets() {
        return !targets.isEmpty();
    }

    /**
     * Sends the tree to every target added since the last send, all at once, and returns when all are
     * done.
     *
     * @throws IllegalStateException when there is no target (none added, or {@code send} ran already):
     *     see {@link #hasTargets()}
     * @throws ExecnetException when the source cannot be sent (naming the file) or a target fails
     *     (its {@link RemoteException}); the other targets are finished first
     */
    public void send() {
        if (targets.isEmpty()) {
            throw new IllegalStateException("RSync of " + source + " has no targets: add one with addTarget (each send"
                    + " sends to the targets added since the last one)");
        }
        List<Target> sending = targets;
        targets = new ArrayList<>();
        List<Sender> senders = new ArrayList<>();
        SourceTree tree;
        try {
            for (Target target : sending) {
                senders.add(new Sender(target.gateway(), target.dest(), target.delete(), events(target.gateway())));
            }
            // The walk hands its listing out as it goes, so targets compare while the source is still walked.
            tree = SourceTree.walk(source, filter, batch -> senders.forEach(sender -> sender.listing(batch)));
        } catch (RuntimeException | Error e) {
            // The targets started so far stop where they are; all stay added for the next send, once the cause is fixed.
            senders.forEach(sender -> sender.abort("RSync stopped: " + e.getMessage()));
            sending.addAll(targets);
            targets = sending;
            throw e;
        }
        List<Thread> threads = new ArrayList<>();
        List<RuntimeException> failures = new ArrayList<>();
        for (int i = 0; i < sending.size(); i++) {
            Target target = sending.get(i);
            Sender sender = senders.get(i);
            Thread thread = new Thread(() -> {
                try {
                    sender.serve(tree);
                    target.finished().run();
                } catch (RuntimeException e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                } catch (Throwable e) { // an Error must not pass for success
                    synchronized (failures) {
                        failures.add(new ExecnetException("RSync to " + target.gateway().id() + " failed: " + e, e));
                    }
                }
            }, "jexecnet-rsync-" + target.gateway().id());
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            try {
                thread.join(); // each target's wait for its peer is bounded, so this ends
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ExecnetException("interrupted while sending " + source, e);
            }
        }
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }

    private Sender.Events events(Gateway gateway) {
        return new Sender.Events() {
            @Override
            public void listed(int files, long bytes) {
                listener.listed(gateway, files, bytes);
            }

            @Override
            public void progress(String path, long done, long total) {
                listener.progress(gateway, path, done, total);
            }

            @Override
            public void transferred(String path, long bytes) {
                listener.transferred(gateway, path, bytes);
            }
        };
    }
}
