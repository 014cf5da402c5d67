package org.jexecnet;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.jexecnet.testing.RandomValues;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutation fuzzing of {@link Execnet#loads}: valid inputs mutated in the ways corruption and
 * attackers mutate them (bit flips, overwritten length fields, cuts, splices, repeats) plus pure noise.
 * Only LoadException may escape, and no call may allocate much more than its input is long.
 */
class LoadsFuzzTest {
    private static final int INPUTS = 200_000;
    /** Loaded values cost more than their bytes (boxes, map entries), but by a constant factor only. */
    private static final long ALLOCATION_PER_INPUT_BYTE = 96;
    private static final long ALLOCATION_BASE = 256 * 1024;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void onlyLoadExceptionEscapesAndAllocationStaysProportionalToTheInput() {
        List<byte[]> seeds = seeds();
        Random random = new Random(42);
        int[] outcomes = new int[2];
        assertTimeoutPreemptively(Duration.ofMinutes(3), () -> {
            long thread = Thread.currentThread().getId();
            for (int i = 0; i < INPUTS; i++) {
                byte[] input = i % 10 == 0 ? noise(random) : mutate(seeds.get(random.nextInt(seeds.size())), random, seeds);
                long before = THREADS.getThreadAllocatedBytes(thread);
                try {
                    Execnet.loads(input);
                    outcomes[0]++;
                } catch (LoadException expected) {
                    outcomes[1]++;
                } catch (Throwable unexpected) {
                    fail("input " + HexFormat.of().formatHex(input) + " raised " + unexpected, unexpected);
                }
                long allocated = THREADS.getThreadAllocatedBytes(thread) - before;
                if (allocated > ALLOCATION_BASE + ALLOCATION_PER_INPUT_BYTE * input.length) {
                    fail("loading " + input.length + " bytes allocated " + allocated + " bytes: "
                            + HexFormat.of().formatHex(input, 0, Math.min(input.length, 200)));
                }
            }
        });
        // Both outcomes must be common, or the fuzzer explores only one side of the parser.
        assertTrue(outcomes[0] > INPUTS / 50 && outcomes[1] > INPUTS / 2,
                "loaded " + outcomes[0] + ", refused " + outcomes[1]);
    }

    private static List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>();
        RandomValues values = new RandomValues(7, 6);
        for (int i = 0; i < 300; i++) {
            seeds.add(Execnet.dumps(values.next(), 1 + i % 2));
        }
        return seeds;
    }

    private static byte[] noise(Random random) {
        byte[] input = new byte[random.nextInt(64)];
        random.nextBytes(input);
        if (input.length > 0) {
            input[0] = (byte) (1 + random.nextInt(2));
        }
        return input;
    }

    private static byte[] mutate(byte[] seed, Random random, List<byte[]> seeds) {
        byte[] data = seed.clone();
        int rounds = 1 + random.nextInt(4);
        for (int r = 0; r < rounds && data.length > 1; r++) {
            int at = 1 + random.nextInt(data.length - 1);
            switch (random.nextInt(8)) {
                case 0 -> data[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> data[at] = (byte) random.nextInt(256);
                case 2 -> data[at] = (byte) ('@' + random.nextInt(21)); // a valid opcode in the wrong place
                case 3 -> {
                    // overwrite four bytes with a hostile length: huge, negative, or just past the end
                    int[] lengths = {Integer.MAX_VALUE, -1, Integer.MIN_VALUE, data.length, data.length - at, 1 << 20};
                    int value = lengths[random.nextInt(lengths.length)];
                    for (int k = 0; k < 4 && at + k < data.length; k++) {
                        data[at + k] = (byte) (value >>> (24 - 8 * k));
                    }
                }
                case 4 -> data = Arrays.copyOf(data, at); // cut
                case 5 -> { // splice the tail of another seed in
                    byte[] other = seeds.get(random.nextInt(seeds.size()));
                    int from = 1 + random.nextInt(Math.max(1, other.length - 1));
                    byte[] spliced = Arrays.copyOf(data, at + other.length - from);
                    System.arraycopy(other, from, spliced, at, other.length - from);
                    data = spliced;
                }
                case 6 -> { // repeat a slice, which builds deep or long structures
                    int length = 1 + random.nextInt(Math.min(16, data.length - at));
                    int times = 1 + random.nextInt(200);
                    byte[] grown = new byte[data.length + length * times];
                    System.arraycopy(data, 0, grown, 0, at);
                    for (int t = 0; t < times; t++) {
                        System.arraycopy(data, at, grown, at + t * length, length);
                    }
                    System.arraycopy(data, at, grown, at + times * length, data.length - at);
                    data = grown;
                }
                default -> { // delete a byte
                    byte[] shorter = new byte[data.length - 1];
                    System.arraycopy(data, 0, shorter, 0, at);
                    System.arraycopy(data, at + 1, shorter, at, data.length - at - 1);
                    data = shorter;
                }
            }
        }
        return data;
    }
}
