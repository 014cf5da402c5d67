package org.jexecnet.internal.rsync;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jexecnet.ExecnetException;
import org.jexecnet.Tuple;

/**
 * The source tree, walked once for every target, handed out in batches as it is walked: the listing in depth-first order, as
 * execnet's RSync sends it (a directory is the list {@code [mode, name...]}, a regular file the tuple
 * {@code (mode, mtime, size)}, a symbolic link {@code null}, an entry that vanished during the walk
 * {@code (null, 0, 0)}), the files by relative path, which are the only files a target may ask for, and
 * the links, sent last.
 *
 * <p>Modification times travel in microseconds: what every file system and the JDK keep exactly, so an
 * unchanged file compares equal on the next sync.
 */
public final class SourceTree {
    final List<Object> listing = new ArrayList<>();
    final Map<String, Path> files = new HashMap<>();
    final List<Tuple> links = new ArrayList<>();
    private final Path root;
    private final Predicate<Path> filter;
    private final Consumer<List<Object>> batches;
    private int sent;

    private SourceTree(Path root, Predicate<Path> filter, Consumer<List<Object>> batches) {
        this.root = root;
        this.filter = filter;
        this.batches = batches;
    }

    /**
     * Walks the tree.
     *
     * @throws ExecnetException for a fifo, device or socket the filter lets through, naming it, and
     *     when the root cannot be read
     */
    public static SourceTree walk(Path root, Predicate<Path> filter, Consumer<List<Object>> batches) {
        SourceTree tree = new SourceTree(root.toAbsolutePath().normalize(), filter, batches);
        try {
            tree.visit(tree.root, "");
        } catch (IOException e) {
            throw new ExecnetException("RSync cannot read " + root + ": " + e, e);
        }
        tree.flush();
        return tree;
    }

    /** Listing entries handed out at a time, while the walk goes on: the targets compare as it walks. */
    static final int BATCH = 512;

    private void add(Object entry) {
        listing.add(entry);
        if (listing.size() - sent >= BATCH) {
            flush();
        }
    }

    private void flush() {
        if (listing.size() > sent) {
            batches.accept(new ArrayList<>(listing.subList(sent, listing.size())));
            sent = listing.size();
        }
    }

    private void visit(Path path, String relative) throws IOException {
        PosixFileAttributes attributes;
        try {
            // One lstat: the posix view is a third cheaper than the unix view's map of attributes.
            attributes = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            add(Tuple.of(null, 0, 0)); // vanished during the walk
            return;
        }
        int permissions = mode(attributes.permissions());
        if (attributes.isDirectory()) {
            List<String> names = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
                for (Path entry : entries) {
                    if (filter.test(entry)) {
                        names.add(entry.getFileName().toString());
                    }
                }
            } catch (NoSuchFileException e) {
                add(Tuple.of(null, 0, 0));
                return;
            }
            names.sort(null);
            List<Object> directory = new ArrayList<>(names.size() + 1);
            // A directory's whole mode, setgid included (shared directories rely on it); files keep their permission bits.
            directory.add((Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS));
            directory.addAll(names);
            add(directory);
            for (String name : names) {
                visit(path.resolve(name), relative.isEmpty() ? name : relative + "/" + name);
            }
        } else if (attributes.isRegularFile()) {
            long micros = attributes.lastModifiedTime().to(TimeUnit.MICROSECONDS);
            add(Tuple.of(REGULAR | permissions, micros, attributes.size()));
            files.put(relative, path);
        } else if (attributes.isSymbolicLink()) {
            add(null);
            links.add(link(path, relative));
        } else {
            int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            throw new ExecnetException("RSync cannot send " + path + ": it is a " + kind(mode)
                    + ", not a file, directory or symbolic link; leave it out with a filter");
        }
    }

    private static final int REGULAR = 0100000;

    /** Permission bits as st_mode has them. */
    static int mode(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission permission : permissions) {
            mode |= 0400 >> permission.ordinal();
        }
        return mode;
    }

    /** execnet's rule: a link to an absolute path inside the tree is re-rooted at the target, others kept as they are. */
    private Tuple link(Path path, String relative) throws IOException {
        Path target = Files.readSymbolicLink(path);
        if (target.isAbsolute() && target.normalize().startsWith(root)) {
            return Tuple.of("linkbase", relative, root.relativize(target.normalize()).toString());
        }
        return Tuple.of("link", relative, target.toString());
    }

    private static String kind(int mode) {
        return switch (mode & 0170000) {
            case 0010000 -> "fifo";
            case 0020000 -> "character device";
            case 0060000 -> "block device";
            case 0140000 -> "socket";
            default -> "special file (mode " + Integer.toOctalString(mode) + ")";
        };
    }
}
