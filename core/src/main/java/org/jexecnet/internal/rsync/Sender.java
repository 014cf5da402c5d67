package org.jexecnet.internal.rsync;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jexecnet.Channel;
import org.jexecnet.ExecnetException;
import org.jexecnet.Gateway;
import org.jexecnet.Tuple;
import org.jexecnet.internal.gateway.MasterGateway;

/**
 * The source's side of RSync for one target: sends the listing, collects what the target asks for,
 * answers each request in order (the same, gone, the whole file in chunks, or a delta), and sends the
 * links at the end. At most {@link #WINDOW} chunks are unacknowledged at a time, so a slow target holds
 * back the source instead of piling messages up in its memory.
 */
public final class Sender {
    /** Bytes of a chunk of a whole file. */
    static final int CHUNK = 1 << 20;
    /** Chunks (or delta batches) the target may have unacknowledged. */
    static final int WINDOW = 8;
    /** How long the source waits for the target's next message before it gives up. */
    private static final Duration QUIET = Duration.ofMinutes(5);

    /** What RSync tells about a target's progress. */
    public interface Events {
        void listed(int files, long bytes);

        void progress(String path, long done, long total);

        void transferred(String path, long bytes);
    }

    private final Gateway gateway;
    private final Channel channel;
    private final Events events;
    private int unacknowledged;

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

    /** Sends a batch of the listing, as the walk produces it (on the walking thread). */
    public void listing(List<Object> batch) {
        channel.send(Tuple.of("listing", batch));
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
        List<Tuple> requests = new ArrayList<>();
        long bytes = 0;
        for (Object message = next(); !"list_done".equals(message); message = next()) {
            Tuple request = (Tuple) message;
            requests.add(request);
            Path path = tree.files.get((String) request.get(1));
            bytes += path == null ? 0 : sizeOrZero(path);
        }
        events.listed(requests.size(), bytes);
        for (Tuple request : requests) {
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
        channel.waitClose(QUIET);
    }

    private Object next() {
        return channel.receive(QUIET);
    }

    /** A message that arrives while files go out: a credit for a chunk, or a file's acknowledgement. */
    private void handle(Object message) {
        if ("c".equals(message)) {
            unacknowledged--;
        } else if (message instanceof Tuple ack && "ack".equals(ack.get(0))) {
            events.transferred((String) ack.get(1), ((Number) ack.get(2)).longValue());
        } else {
            throw new ExecnetException("RSync target " + gateway.id() + " sent " + message + " while files were going out");
        }
    }

    /** Sends a chunk or a batch once the window has room. */
    private void sendData(Object data) {
        while (unacknowledged >= WINDOW) {
            handle(next());
        }
        channel.send(data);
        unacknowledged++;
    }

    private void answer(SourceTree tree, Tuple request) {
        String relative = (String) request.get(1);
        Path path = tree.files.get(relative);
        if (path == null) {
            throw new ExecnetException("RSync target " + gateway.id() + " asked for " + relative + ", which the listing does not have");
        }
        byte[] fingerprint = (byte[]) request.get(2);
        byte[] blocks = (byte[]) request.get(3);
        long oldSize = ((Number) request.get(5)).longValue();
        try {
            long size = Files.size(path);
            if (fingerprint != null && oldSize == size && Fingerprint.same(fingerprint, Receiver.fingerprint(path))) {
                channel.send("same");
            } else if (blocks != null && size >= Delta.MIN_SIZE && size < Delta.MAX_SIZE) {
                int blockSize = ((Number) request.get(4)).intValue();
                channel.send(Tuple.of("delta", blockSize));
                long[] done = {0};
                byte[] digest = Delta.compute(path, blocks, blockSize, oldSize, batch -> {
                    sendData(batch);
                    for (Object instruction : batch) {
                        done[0] += instruction instanceof byte[] bytes ? bytes.length : blockSize;
                    }
                    events.progress(relative, Math.min(done[0], size), size);
                });
                channel.send(Tuple.of("end", digest));
            } else {
                whole(path, relative, size);
            }
        } catch (NoSuchFileException | AccessDeniedException e) {
            channel.send("gone"); // vanished or unreadable since the walk, as execnet sends None
        } catch (IOException e) {
            throw new ExecnetException("RSync cannot read " + path + ": " + e, e);
        }
    }

    private void whole(Path path, String relative, long size) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            long sent = 0;
            byte[] first = in.readNBytes((int) Math.min(CHUNK, size));
            checkLength(path, first.length, Math.min(CHUNK, size));
            while (unacknowledged >= WINDOW) {
                handle(next());
            }
            channel.send(Tuple.of("whole", size, first));
            unacknowledged++;
            sent += first.length;
            events.progress(relative, sent, size);
            while (sent < size) {
                byte[] chunk = in.readNBytes((int) Math.min(CHUNK, size - sent));
                checkLength(path, chunk.length, Math.min(CHUNK, size - sent));
                sendData(chunk);
                sent += chunk.length;
                events.progress(relative, sent, size);
            }
        }
    }

    private static void checkLength(Path path, long got, long wanted) {
        if (got != wanted) {
            throw new ExecnetException("RSync: " + path + " shrank while it was being sent");
        }
    }

    private static long sizeOrZero(Path path) {
        try {
            return Files.size(path);
        } catch (IOException e) {
            return 0;
        }
    }
}
