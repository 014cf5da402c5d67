package org.jexecnet.internal.rsync;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The rsync idea for a large file that changed in part. The target splits its old copy into blocks and
 * sends each block's weak rolling checksum and strong hash (its <em>signature</em>); the source slides a
 * window over the new file, and where the window's checksums match a block the target has, it says
 * "copy block i" instead of sending the bytes. Only what is new travels.
 *
 * <p>The weak checksum is rsync's: two 16-bit sums that roll forward a byte in constant time; the strong
 * hash, computed only when the weak one matches, is the block's 64-bit {@link Fingerprint}. The target
 * checks the whole rebuilt file against the source's fingerprint, so a collision is caught, not written.
 */
final class Delta {
    private Delta() {}

    /** Files smaller than this go whole: their signature would save too little. */
    static final long MIN_SIZE = 1 << 20;
    /** Files this large or larger go whole, in chunks: the source maps the file, which needs an int offset. */
    static final long MAX_SIZE = Integer.MAX_VALUE;
    static final int SIGNATURE_BYTES = 12;
    /** Literal bytes are sent in batches of about this size. */
    private static final int BATCH_BYTES = 256 * 1024;

    /** About 2,000 blocks a file, within 4 KiB..1 MiB: signatures stay small, matches stay fine-grained. */
    static int blockSize(long size) {
        long target = Long.highestOneBit(Math.max(1, size / 2048));
        return (int) Math.max(4096, Math.min(1 << 20, target));
    }

    /** rsync's weak checksum of {@code length} bytes of {@code buffer} from {@code offset}. */
    static int weak(ByteBuffer buffer, int offset, int length) {
        int a = 0;
        int b = 0;
        for (int i = 0; i < length; i++) {
            int x = buffer.get(offset + i) & 0xff;
            a += x;
            b += (length - i) * x;
        }
        return (a & 0xffff) | (b << 16);
    }

    /** The old file's signature and its whole fingerprint, read in one pass. */
    record Signature(byte[] blocks, byte[] fingerprint) {}

    static Signature signature(Path file, int blockSize) throws IOException {
        Fingerprint whole = new Fingerprint();
        Fingerprint block = new Fingerprint();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[blockSize];
        try (InputStream in = Files.newInputStream(file)) {
            while (true) {
                int n = in.readNBytes(buffer, 0, blockSize);
                if (n == 0) {
                    break;
                }
                whole.update(buffer, 0, n);
                int weak = weak(ByteBuffer.wrap(buffer), 0, n);
                block.update(buffer, 0, n);
                byte[] strong = block.digest();
                out.write(weak >>> 24);
                out.write(weak >>> 16);
                out.write(weak >>> 8);
                out.write(weak);
                out.write(strong, 0, 8);
                if (n < blockSize) {
                    break;
                }
            }
        }
        return new Signature(out.toByteArray(), whole.digest());
    }

    /**
     * Computes the delta of {@code file} against the signature, handing out batches of instructions: a
     * list of {@code Integer} (copy that block of the old file) and {@code byte[]} (these bytes).
     *
     * @return the new file's fingerprint
     */
    static byte[] compute(FileChannel channel, byte[] signature, int blockSize, long oldSize, Consumer<List<Object>> batches)
            throws IOException {
        try {
            return computeMapped(channel, signature, blockSize, oldSize, batches);
        } catch (InternalError e) { // a mapped file cut short under the reader: the JVM reports the fault so
            throw new IOException("the file was truncated while it was being read: " + e.getMessage(), e);
        }
    }

    private static byte[] computeMapped(FileChannel channel, byte[] signature, int blockSize, long oldSize,
            Consumer<List<Object>> batches) throws IOException {
        Map<Integer, List<Integer>> byWeak = new HashMap<>();
        int blocks = signature.length / SIGNATURE_BYTES;
        for (int i = 0; i < blocks; i++) {
            byWeak.computeIfAbsent(ByteBuffer.wrap(signature, i * SIGNATURE_BYTES, 4).getInt(), k -> new ArrayList<>(1)).add(i);
        }
        long length = channel.size();
        if (length > MAX_SIZE) {
            throw new IOException("the file grew past " + MAX_SIZE + " bytes during the transfer");
        }
        MappedByteBuffer data = channel.map(FileChannel.MapMode.READ_ONLY, 0, length);
        int size = (int) length;
        Fingerprint strong = new Fingerprint();
        List<Object> batch = new ArrayList<>();
        int literalStart = 0;
        int batchBytes = 0;
        int position = 0;
        int window = Math.min(blockSize, size);
        int weak = size > 0 ? weak(data, 0, window) : 0;
        int a = weak & 0xffff;
        int b = weak >>> 16;
        while (position + window <= size && window > 0) {
            Integer match = null;
            List<Integer> candidates = byWeak.get((a & 0xffff) | (b << 16));
            if (candidates != null) {
                byte[] digest = digest(strong, data, position, window);
                for (int candidate : candidates) {
                    if (window == blockLength(candidate, blocks, blockSize, oldSize)
                            && Arrays.equals(digest, 0, 8, signature, candidate * SIGNATURE_BYTES + 4, candidate * SIGNATURE_BYTES + 12)) {
                        match = candidate;
                        break;
                    }
                }
            }
            if (match != null) {
                if (position > literalStart) {
                    batchBytes += literal(batch, data, literalStart, position);
                }
                batch.add(match);
                position += window;
                literalStart = position;
                window = Math.min(blockSize, size - position);
                if (window > 0) {
                    weak = weak(data, position, window);
                    a = weak & 0xffff;
                    b = weak >>> 16;
                }
            } else {
                if (position + window == size) {
                    break; // no block matches the tail: it goes as literal bytes
                }
                int out = data.get(position) & 0xff;
                int in = data.get(position + window) & 0xff;
                a = (a - out + in) & 0xffff;
                b = (b - window * out + a) & 0xffff;
                position++;
            }
            if (position - literalStart >= BATCH_BYTES) {
                batchBytes += literal(batch, data, literalStart, position);
                literalStart = position;
            }
            if (batchBytes >= BATCH_BYTES || batch.size() >= 4096) {
                batches.accept(batch);
                batch = new ArrayList<>();
                batchBytes = 0;
            }
        }
        if (size > literalStart) {
            literal(batch, data, literalStart, size);
        }
        if (!batch.isEmpty()) {
            batches.accept(batch);
        }
        Fingerprint whole = new Fingerprint();
        whole.update(data.duplicate().position(0).limit(size));
        return whole.digest();
    }

    /** A block's length in the old file: the last one may be short. */
    static int blockLength(int index, int blocks, int blockSize, long oldSize) {
        return index < blocks - 1 ? blockSize : (int) (oldSize - (long) (blocks - 1) * blockSize);
    }

    private static byte[] digest(Fingerprint fingerprint, ByteBuffer data, int from, int length) {
        fingerprint.update(data.duplicate().position(from).limit(from + length));
        return fingerprint.digest();
    }

    private static int literal(List<Object> batch, ByteBuffer data, int from, int to) {
        byte[] bytes = new byte[to - from];
        data.get(from, bytes);
        batch.add(bytes);
        return bytes.length;
    }
}
