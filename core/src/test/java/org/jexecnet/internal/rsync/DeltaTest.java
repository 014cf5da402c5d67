package org.jexecnet.internal.rsync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The delta rebuilds the new file exactly, whatever changed, at block boundaries and off them. */
class DeltaTest {
    @TempDir
    Path dir;

    private byte[] rebuild(byte[] old, byte[] changed) throws Exception {
        Path oldFile = Files.write(dir.resolve("old"), old);
        Path newFile = Files.write(dir.resolve("new"), changed);
        int blockSize = Delta.blockSize(old.length);
        Delta.Signature signature = Delta.signature(oldFile, blockSize);
        int blocks = (int) ((old.length + (long) blockSize - 1) / blockSize);
        assertEquals(blocks * Delta.SIGNATURE_BYTES, signature.blocks().length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] fingerprint;
        try (FileChannel file = FileChannel.open(newFile, StandardOpenOption.READ)) {
            fingerprint = Delta.compute(file, signature.blocks(), blockSize, old.length, batch -> {
                for (Object instruction : batch) {
                    if (instruction instanceof byte[] bytes) {
                        out.write(bytes, 0, bytes.length);
                    } else {
                        int index = (Integer) instruction;
                        out.write(old, index * blockSize, Delta.blockLength(index, blocks, blockSize, old.length));
                    }
                }
            });
        }
        Fingerprint expected = new Fingerprint();
        expected.update(out.toByteArray());
        assertArrayEquals(expected.digest(), fingerprint);
        return out.toByteArray();
    }

    @Test
    void rebuildsEveryKindOfChange() throws Exception {
        Random random = new Random(1);
        for (int round = 0; round < 40; round++) {
            int size = (1 << 20) + switch (round % 4) {
                case 0 -> 0;
                case 1 -> 1;
                case 2 -> 4095;
                default -> random.nextInt(3 << 20);
            };
            byte[] old = new byte[size];
            for (int i = 0; i < size; i++) {
                old[i] = (byte) (round % 2 == 0 ? random.nextInt(256) : random.nextInt(3)); // few symbols: many weak matches
            }
            byte[] changed = switch (round % 5) {
                case 0 -> {
                    byte[] flipped = old.clone();
                    flipped[random.nextInt(size)] ^= 1;
                    yield flipped;
                }
                case 1 -> Arrays.copyOf(old, size + 1 + random.nextInt(10_000));
                case 2 -> Arrays.copyOf(old, size - 1 - random.nextInt(5_000));
                case 3 -> {
                    byte[] shifted = new byte[size + 777];
                    System.arraycopy(old, 0, shifted, 777, size);
                    yield shifted;
                }
                default -> Arrays.copyOfRange(old, 4096, size);
            };
            assertArrayEquals(changed, rebuild(old, changed), "round " + round);
        }
    }
}
