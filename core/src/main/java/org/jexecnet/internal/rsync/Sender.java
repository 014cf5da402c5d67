package org.jexecnet.internal.rsync;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jexecnet.Channel;
import org.jexecnet.ChannelClosedException;
import org.jexecnet.ChannelTimeoutException;
import org.jexecnet.ExecnetException;
import org.jexecnet.Gateway;
import org.jexecnet.RemoteException;
import org.jexecnet.Tuple;
import org.jexecnet.internal.gateway.MasterGateway;

/**
 * The source's side of RSync for one target: sends the listing, collects what the target asks for,
 * answers each request in order (the same, gone, the whole file in chunks, or a delta), and sends the
 * links at the end. At most {@link #WINDOW_BYTES} in {@link #WINDOW_MESSAGES} messages are unacknowledged at
 * a time (many small files in flight, or a few large chunks), so a slow target holds
 * back the source instead of piling messages up in its memory.
 */
public final class Sender {
    /** Bytes of a chunk of a whole file. */
    static final int CHUNK = 1 << 20;
    /** Bytes of chunks (or delta batches) the target may have unacknowledged. */
    static final long WINDOW_BYTES = 8L << 20;
    /** Messages of data the target may have unacknowledged. */
    static final int WINDOW_MESSAGES = 256;

    /** What RSync tells about a target's progress. */
    public interface Events {
        void listed(int files, long bytes);

        void progress(String path, long done, long total);

        void transferred(String path, long bytes);
    }

    private final Gateway gateway;
    private final Channel channel;
    private final Events events;
    /** Sizes of the data messages not yet acknowledged, oldest first: the target acknowledges in order. */
    private final ArrayDeque<Integer> unacknowledged = new ArrayDeque<>();
    private long unacknowledgedBytes;

    /** Starts the target's receiver. */
    public Sender(Gateway gateway, String dest, boolean delete, Events events) {
        if (!(gateway instanceof MasterGateway master)) {
            throw new IllegalArgumentException("RSync sends from the master: " + gateway + " is not a gateway this side opened");
        }
        this.gateway = gateway;
        this.events = events;
        try {
            this.channel = master.execBuiltin(Receiver.class, Map.of("dest", dest, "delete", delete));
        } catch (UnsupportedOperationException e) {
            throw new IllegalArgumentException("RSync targets JVM gateways: " + e.getMessage(), e);
        }
    }

    /**
     * Sends a batch of the listing, as the walk produces it (on the walking thread).
     *
     * @throws RemoteException when the target ended with an error before the listing was all sent: its error
     *     says why (a destination that is a file), where a send to its closed channel would not
     */
    public void listing(List<Object> batch) {
        try {
            channel.send(Tuple.of("listing", batch));
        } catch (ChannelClosedException closed) {
            try {
                channel.waitClose(Duration.ZERO); // closed already: this throws the target's error, if it had one
            } catch (ChannelTimeoutException notClosedYet) {
                closed.addSuppressed(notClosedYet);
            }
            throw closed;
        }
    }

    /** Stops the target where it is, with the reason: the walk failed. */
    public void abort(String why) {
        channel.close(why);
    }

    /**
     * Serves the target once the whole listing is sent; returns when the target has everything, or
     * throws what went wrong there.
     */
    public void serve(SourceTree tree) {
        try {
            exchange(tree);
        } catch (Throwable e) { // the target must not wait for what will not come
            channel.close("RSync stopped on the source's side: " + e);
            throw e;
        }
    }

    private void exchange(SourceTree tree) {
        List<FileRequest> requests = new ArrayList<>();
        long bytes = 0;
        for (Object message = next(); !"list_done".equals(message); message = next()) {
            if (!(message instanceof Tuple batch && "requests".equals(batch.get(0)) && batch.get(1) instanceof List<?> list)) {
                throw new ExecnetException("RSync target " + gateway.id() + " sent " + message + " instead of requests");
            }
            for (Object each : list) {
                FileRequest request;
                try {
                    request = FileRequest.fromValue(each);
                } catch (IllegalArgumentException e) {
                    throw new ExecnetException("RSync target " + gateway.id() + " sent " + e.getMessage(), e);
                }
                requests.add(request);
                Path path = tree.files.get(request.path());
                bytes += path == null ? 0 : sizeOrZero(path);
            }
        }
        events.listed(requests.size(), bytes);
        for (FileRequest request : requests) {
            answer(tree, request);
        }
        for (Object message = next(); !"links".equals(message); message = next()) {
            handle(message);
        }
        channel.send(tree.links);
        Object done = next();
        if (!"done".equals(done)) {
            throw new ExecnetException("RSync target " + gateway.id() + " said " + done + " instead of done");
        }
        channel.waitClose();
    }

    /**
     * The target's next message, waited for without a time limit: the target may be hashing a large
     * file for minutes, and a target that is gone ends the wait through the connection.
     */
    private Object next() {
        return channel.receive();
    }

    /** A message that arrives while files go out: a credit for a chunk, or a file's acknowledgement. */
    private void handle(Object message) {
        Ack ack = Ack.ifOne(message);
        if ("c".equals(message)) {
            release(1);
        } else if (ack != null) {
            release(ack.credits()); // a whole file's last chunk is acknowledged with the file
            if (ack.contentTravelled()) { // not only touched, not gone
                events.transferred(ack.path(), ack.transferred());
            }
        } else {
            throw new ExecnetException("RSync target " + gateway.id() + " sent " + message + " while files were going out");
        }
    }

    private void release(int messages) {
        for (int i = 0; i < messages && !unacknowledged.isEmpty(); i++) {
            unacknowledgedBytes -= unacknowledged.removeFirst();
        }
    }

    /** Sends a chunk or a batch of {@code bytes} once the window has room for it. */
    private void sendData(Object data, int bytes) {
        while (!unacknowledged.isEmpty()
                && (unacknowledged.size() >= WINDOW_MESSAGES || unacknowledgedBytes + bytes > WINDOW_BYTES)) {
            handle(next());
        }
        channel.send(data);
        unacknowledged.addLast(bytes);
        unacknowledgedBytes += bytes;
    }

    private void answer(SourceTree tree, FileRequest request) {
        String relative = request.path();
        Path path = tree.files.get(relative);
        if (path == null) {
            throw new ExecnetException("RSync target " + gateway.id() + " asked for " + relative + ", which the listing does not have");
        }
        try {
            if (request.fingerprint() == null && request.blocks() == null) {
                whole(path, relative); // a new file: nothing to compare, not even its size
                return;
            }
            long size = Files.size(path);
            if (request.fingerprint() != null && request.oldSize() == size
                    && Fingerprint.same(request.fingerprint(), Fingerprint.of(path))) {
                channel.send(new FileAnswer.Same().toValue());
            } else if (request.blocks() != null && size >= Delta.MIN_SIZE && size < Delta.MAX_SIZE) {
                try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ)) { // opened before the header: no "gone" after it
                    channel.send(new FileAnswer.Delta(request.blockSize()).toValue());
                    delta(file, relative, request.blocks(), request.blockSize(), request.oldSize(), size);
                }
            } else {
                whole(path, relative);
            }
        } catch (NoSuchFileException | AccessDeniedException e) {
            channel.send(new FileAnswer.Gone().toValue()); // vanished or unreadable since the walk, as execnet sends None
        } catch (IOException e) {
            throw new ExecnetException("RSync cannot read " + path + ": " + e, e);
        }
    }

    private void delta(FileChannel file, String relative, byte[] blocks, int blockSize, long oldSize, long size) throws IOException {
        long[] done = {0};
        byte[] digest = Delta.compute(file, blocks, blockSize, oldSize, batch -> {
            int literal = 0;
            for (Object instruction : batch) {
                literal += instruction instanceof byte[] bytes ? bytes.length : 0;
                done[0] += instruction instanceof byte[] bytes ? bytes.length : blockSize;
            }
            sendData(batch, literal);
            events.progress(relative, Math.min(done[0], size), size);
        });
        channel.send(new DeltaEnd(digest).toValue());
    }

    /** Sends the file whole, in chunks, as long as it is when opened. */
    private void whole(Path path, String relative) throws IOException {
        try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = file.size();
            long sent = 0;
            byte[] first = read(file, (int) Math.min(CHUNK, size), path);
            sendData(new FileAnswer.Whole(size, first).toValue(), first.length);
            sent += first.length;
            events.progress(relative, sent, size);
            while (sent < size) {
                byte[] chunk = read(file, (int) Math.min(CHUNK, size - sent), path);
                sendData(chunk, chunk.length);
                sent += chunk.length;
                events.progress(relative, sent, size);
            }
        }
    }

    private static byte[] read(FileChannel file, int length, Path path) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (file.read(buffer) < 0) {
                throw new ExecnetException("RSync: " + path + " shrank while it was being sent");
            }
        }
        return buffer.array();
    }

    private static long sizeOrZero(Path path) {
        try {
            return Files.size(path);
        } catch (IOException e) {
            return 0;
        }
    }
}
