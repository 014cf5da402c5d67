package org.jexecnet.internal.rsync;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jexecnet.Channel;
import org.jexecnet.Tuple;

/**
 * The target's side of RSync, run on the worker from its own class path: walks the destination in step
 * with the source's listing, asks for what differs (with a signature of its old copy when a large file
 * changed, so that only the changes come), writes each file under a temporary name and renames it into
 * place, so an interrupted transfer never leaves a half-written file, then makes the links.
 */
public final class Receiver {

    private final Channel channel;
    private final Path dest;
    private final boolean delete;
    private final List<Request> requests = new ArrayList<>();

    /** A file asked for, as the listing described it. */
    private record Request(Path path, String relative, int mode, long mtimeMicros, boolean hasOld, long oldSize) {}

    private Receiver(Channel channel, Path dest, boolean delete) {
        this.channel = channel;
        this.dest = dest;
        this.delete = delete;
    }

    /**
     * The entry point.
     *
     * @param kwargs {@code dest}, the destination directory; {@code delete}, whether to remove what the
     *     source no longer has
     */
    public static void run(Channel channel, Map<String, Object> kwargs) throws IOException {
        Path dest = Path.of((String) kwargs.get("dest")).toAbsolutePath().normalize();
        if (Files.isDirectory(dest)) {
            dest = dest.toRealPath(); // a destination that is a link to a directory is that directory, as for execnet
        } else if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("the destination " + dest + " is a file, not a directory: remove it, or name a directory"
                    + " (it is created when missing)");
        }
        Receiver receiver = new Receiver(channel, dest, Boolean.TRUE.equals(kwargs.get("delete")));
        receiver.entry(dest, "");
        receiver.sendRequests();
        channel.send("list_done");
        for (Request request : receiver.requests) {
            receiver.file(request);
        }
        channel.send("links");
        List<?> links = channel.receive(List.class);
        for (Object link : links) {
            receiver.link((Tuple) link);
        }
        channel.send("done");
    }

    /**
     * The source's next message, waited for without a time limit: the source may be hashing a large
     * file for minutes, and a source that is gone ends the wait through the connection.
     */
    private Object next() {
        return channel.receive();
    }

    /** Requests go out in batches, as the listing comes in. */
    private static final int REQUEST_BATCH = 256;
    private final List<Tuple> pendingRequests = new ArrayList<>();

    private void sendRequests() {
        if (!pendingRequests.isEmpty()) {
            channel.send(Tuple.of("requests", new ArrayList<>(pendingRequests)));
            pendingRequests.clear();
        }
    }

    private List<?> batch = List.of();
    private int inBatch;

    /** The next entry of the listing, which comes in batches. */
    private Object nextEntry() throws IOException {
        if (inBatch == batch.size()) {
            Object message = next();
            if (!(message instanceof Tuple listing && "listing".equals(listing.get(0)) && listing.get(1) instanceof List<?> entries)) {
                throw new IOException("expected the listing, got " + message);
            }
            batch = entries;
            inBatch = 0;
        }
        return batch.get(inBatch++);
    }

    private void entry(Path path, String relative) throws IOException {
        Object item = nextEntry();
        if (item instanceof List<?> directory && !(item instanceof Tuple)) { // a Tuple is a List too: a file
            PosixFileAttributes existing = attributes(path);
            if (existing != null && !existing.isDirectory()) {
                deleteTree(path);
            }
            Files.createDirectories(path);
            setMode(path, ((Number) directory.get(0)).intValue() | 0700);
            Set<String> names = new HashSet<>();
            int requestsBefore = requests.size();
            for (Object name : directory.subList(1, directory.size())) {
                String text = (String) name;
                if (text.isEmpty() || text.equals(".") || text.equals("..") || text.contains("/")) {
                    throw new IOException("the listing names an entry '" + text + "' in " + path + ", which is not a file name");
                }
                names.add(text);
                entry(path.resolve(text), relative.isEmpty() ? text : relative + "/" + text);
            }
            // What the source lacks goes with delete; temporary files of a killed transfer go when files are asked for
            // here again (the killed file among them), so a sync with nothing to do lists no directory.
            if (delete || requests.size() > requestsBefore) {
                removeExtras(path, names);
            }
        } else if (item instanceof Tuple file && file.get(0) != null) {
            int mode = ((Number) file.get(0)).intValue();
            long mtime = ((Number) file.get(1)).longValue();
            long size = ((Number) file.get(2)).longValue();
            PosixFileAttributes existing = attributes(path);
            if (existing != null && existing.isRegularFile()) {
                long oldSize = existing.size();
                if (oldSize != size || existing.lastModifiedTime().to(TimeUnit.MICROSECONDS) != mtime) {
                    request(path, relative, mode, mtime, size, oldSize);
                } else if (SourceTree.mode(existing.permissions()) != (mode & 0777)) {
                    setMode(path, mode);
                }
            } else {
                if (existing != null) {
                    deleteTree(path);
                }
                request(path, relative, mode, mtime, size, -1);
            }
        }
        // null: a symbolic link, made after the files; (null, 0, 0): vanished during the source's walk
    }

    private void removeExtras(Path directory, Set<String> names) throws IOException {
        try (Stream<Path> children = Files.list(directory)) {
            for (Path child : children.toList()) {
                String name = child.getFileName().toString();
                if (!names.contains(name) && (delete || isTemporary(name))) {
                    deleteTree(child);
                }
            }
        }
    }

    /** Asks for a file: with the old copy's fingerprint, and its signature when a delta can pay. */
    private void request(Path path, String relative, int mode, long mtime, long size, long oldSize) throws IOException {
        byte[] fingerprint = null;
        byte[] blocks = null;
        int blockSize = 0;
        if (oldSize >= 0) {
            boolean deltaPays = Math.min(oldSize, size) >= Delta.MIN_SIZE && Math.max(oldSize, size) < Delta.MAX_SIZE;
            if (deltaPays) {
                blockSize = Delta.blockSize(oldSize);
                Delta.Signature signature = Delta.signature(path, blockSize);
                blocks = signature.blocks();
                fingerprint = signature.fingerprint();
            } else if (oldSize == size) {
                fingerprint = Fingerprint.of(path); // the content may be the same, touched only
            }
        }
        pendingRequests.add(new FileRequest(relative, fingerprint, blocks, blockSize, oldSize).toValue());
        if (pendingRequests.size() >= REQUEST_BATCH) {
            sendRequests();
        }
        requests.add(new Request(path, relative, mode, mtime, oldSize >= 0, oldSize));
    }

    /** Receives one requested file: the same, gone, whole in chunks, or a delta against the old copy. */
    private void file(Request request) throws IOException {
        FileAnswer head;
        try {
            head = FileAnswer.fromValue(next());
        } catch (IllegalArgumentException e) {
            throw new IOException("unexpected answer for " + request.relative() + ": " + e.getMessage(), e);
        }
        long transferred = 0;
        if (head instanceof FileAnswer.Same) {
            setMode(request.path(), request.mode());
            setTime(request.path(), request.mtimeMicros());
        } else if (head instanceof FileAnswer.Whole whole) {
            transferred = whole.size();
            Path[] temporary = {null};
            try {
                try (FileChannel out = temporary(request.path(), temporary)) {
                    long written = 0;
                    byte[] chunk = whole.first();
                    while (true) {
                        for (ByteBuffer bytes = ByteBuffer.wrap(chunk); bytes.hasRemaining(); ) {
                            out.write(bytes);
                        }
                        written += chunk.length;
                        if (written >= whole.size()) {
                            break; // the last chunk's credit comes with the file's acknowledgement
                        }
                        channel.send("c");
                        chunk = (byte[]) next();
                    }
                }
                install(temporary[0], request);
            } finally {
                if (temporary[0] != null) {
                    Files.deleteIfExists(temporary[0]);
                }
            }
        } else if (head instanceof FileAnswer.Delta delta) {
            transferred = delta(request, delta.blockSize());
        }
        boolean whole = head instanceof FileAnswer.Whole;
        channel.send(new Ack(request.relative(), transferred, whole ? 1 : 0, whole || head instanceof FileAnswer.Delta).toValue());
    }

    /** Rebuilds the file from blocks of the old copy and literal bytes; returns the literal bytes' count. */
    private long delta(Request request, int blockSize) throws IOException {
        Path[] temporary = {null};
        Fingerprint fingerprint = new Fingerprint();
        long literal = 0;
        int blocks = (int) ((request.oldSize() + blockSize - 1) / blockSize);
        try {
            try (FileChannel old = FileChannel.open(request.path(), StandardOpenOption.READ);
                    FileChannel out = temporary(request.path(), temporary)) {
                ByteBuffer block = ByteBuffer.allocate(blockSize);
                while (true) {
                    Object item = next();
                    DeltaEnd end = DeltaEnd.ifOne(item);
                    if (end != null) {
                        if (!Fingerprint.same(fingerprint.digest(), end.fingerprint())) {
                            throw new IOException("the delta of " + request.relative() + " did not rebuild the source's file"
                                    + " (did the target's copy change during the sync?)");
                        }
                        break;
                    }
                    if (!(item instanceof List<?> batch) || item instanceof Tuple) {
                        throw new IOException("unexpected message in the delta of " + request.relative() + ": " + item);
                    }
                    for (Object instruction : batch) {
                        if (instruction instanceof byte[] bytes) {
                            fingerprint.update(bytes);
                            for (ByteBuffer buffer = ByteBuffer.wrap(bytes); buffer.hasRemaining(); ) {
                                out.write(buffer);
                            }
                            literal += bytes.length;
                        } else {
                            int index = ((Number) instruction).intValue();
                            if (index < 0 || index >= blocks) {
                                throw new IOException("the delta of " + request.relative() + " names block " + index + " of " + blocks);
                            }
                            block.clear().limit(Delta.blockLength(index, blocks, blockSize, request.oldSize()));
                            long at = (long) index * blockSize;
                            while (block.hasRemaining() && old.read(block, at + block.position()) >= 0) {
                                // reads the whole block
                            }
                            block.flip();
                            fingerprint.update(block.duplicate());
                            while (block.hasRemaining()) {
                                out.write(block);
                            }
                        }
                    }
                    channel.send("c");
                }
            }
            install(temporary[0], request);
        } finally {
            if (temporary[0] != null) {
                Files.deleteIfExists(temporary[0]);
            }
        }
        return literal;
    }

    private void install(Path temporary, Request request) throws IOException {
        setMode(temporary, request.mode());
        setTime(temporary, request.mtimeMicros());
        try {
            Files.move(temporary, request.path(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, request.path(), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * A new file beside the destination, opened for writing: a name of its own (several syncs may
     * write the same directory), created new and never through a link, so nothing outside the
     * destination is written.
     */
    private static FileChannel temporary(Path path, Path[] name) throws IOException {
        while (true) {
            name[0] = path.resolveSibling("." + path.getFileName() + ".jexecnet-" + Long.toHexString(ThreadLocalRandom.current().nextLong())
                    + ".tmp");
            try {
                return FileChannel.open(name[0], StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            } catch (FileAlreadyExistsException taken) {
                // another name
            }
        }
    }

    private static boolean isTemporary(String name) {
        return name.startsWith(".") && name.endsWith(".tmp") && name.contains(".jexecnet-");
    }

    private void link(Tuple link) throws IOException {
        Path path = inside(dest.resolve((String) link.get(1)));
        if (attributes(path) != null) {
            deleteTree(path);
        }
        String target = (String) link.get(2);
        Files.createSymbolicLink(path, "linkbase".equals(link.get(0)) ? dest.resolve(target) : Path.of(target));
    }

    /** Refuses a path outside the destination: a listing cannot make this side write or delete elsewhere. */
    private Path inside(Path path) throws IOException {
        Path normal = path.normalize();
        if (!normal.startsWith(dest) || normal.equals(dest)) {
            throw new IOException(path + " is not inside the destination " + dest);
        }
        return normal;
    }

    private void deleteTree(Path path) throws IOException {
        Path root = inside(path);
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path each : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(each);
            }
        } catch (NoSuchFileException e) {
            // gone already
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static PosixFileAttributes attributes(Path path) throws IOException {
        try {
            return Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** chmod with the permission bits and the setuid, setgid and sticky bits of the mode. */
    private static void setMode(Path path, int mode) throws IOException {
        Files.setAttribute(path, "unix:mode", mode & 07777);
    }

    /** Access and modification time both, as execnet does: giving both saves the JDK a stat for the access time. */
    private static void setTime(Path path, long micros) throws IOException {
        FileTime time = FileTime.from(micros, TimeUnit.MICROSECONDS);
        Files.getFileAttributeView(path, BasicFileAttributeView.class).setTimes(time, time, null);
    }
}
