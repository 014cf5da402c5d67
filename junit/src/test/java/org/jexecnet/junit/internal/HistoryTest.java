package org.jexecnet.junit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The history directory: what a run reads from it, and what it leaves in it. */
class HistoryTest {
    @Test
    void aMissingOrGarbledHistoryOnlyLosesWhatItWouldHaveTold(@TempDir Path dir) throws Exception {
        History none = History.read(dir.resolve("never-written"));
        assertNull(none.seconds("x"));
        assertTrue(none.lastFailed().isEmpty());
        Files.write(dir.resolve(History.DURATIONS), new byte[] {(byte) 0xff, (byte) 0xfe, 'x'});
        Files.writeString(dir.resolve(History.LAST_FAILED), "a\n\n  b  \n");
        History garbled = History.read(dir);
        assertNull(garbled.seconds("x"));
        assertEquals(Set.of("a", "b"), garbled.lastFailed());
    }

    @Test
    void anUpdateKeepsWhatThisRunDidNotMeasureAndForgetsFailuresThatRanAgain(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve(History.DURATIONS), List.of("1.000\told", "2.000\tremeasured"), StandardCharsets.UTF_8);
        Files.write(dir.resolve(History.LAST_FAILED), List.of("fixed", "not rerun"));
        History history = History.read(dir);
        history.update(dir, Map.of("remeasured", 3.0, "new", 0.25), History.Locality.NONE, List.of("fixed", "broken"), List.of("broken"));
        History again = History.read(dir);
        assertEquals(1.0, again.seconds("old"));
        assertEquals(3.0, again.seconds("remeasured"));
        assertEquals(0.25, again.seconds("new"));
        assertEquals(Set.of("not rerun", "broken"), again.lastFailed());
        try (var left = Files.list(dir)) {
            assertEquals(3, left.count(), "no temporary file left behind");
        }
    }

    @Test
    void localityKeepsEachClassLatestTimesAndReadsWhatIsUnmeasured(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve(History.LOCALITY), List.of("10.000\t-\t1.500\tleader", "8.000\t1.000\t-\tfollower",
                "x\t2\t0.1\tgarbled alone", "only three\tfields\t1"), StandardCharsets.UTF_8);
        History history = History.read(dir);
        assertEquals(10.0, history.alone("leader"));
        assertNull(history.after("leader"));
        assertEquals(1.5, history.cpu("leader"));
        assertEquals(1.0, history.after("follower"));
        assertNull(history.cpu("follower"));
        assertNull(history.alone("garbled alone"));
        assertEquals(2.0, history.after("garbled alone"));
        history.update(dir, Map.of(), new History.Locality(Map.of("new", 3.0), Map.of("leader", 0.5), Map.of("follower", 0.25)), List.of(),
                List.of());
        // what is written is what was read and learned: the line of three fields was read as nothing
        assertEquals(List.of("8.000\t1.000\t0.250\tfollower", "-\t2.000\t0.100\tgarbled alone", "10.000\t0.500\t1.500\tleader",
                "3.000\t-\t-\tnew"), Files.readAllLines(dir.resolve(History.LOCALITY)));
    }
}
