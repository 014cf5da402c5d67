package org.jexecnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.jexecnet.testing.NoLeftoverWorkers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Finding 6 of issue 15: a worker whose engine died of an Error said nothing; the master saw "Broken
 * pipe" and "exited with status 0". The master's ConnectionLostException names the error, and the
 * worker exits non-zero.
 */
@ExtendWith(NoLeftoverWorkers.class)
class WorkerFailureTest {
    static final Duration T = Duration.ofSeconds(60);

    @Test
    void aWorkerWhoseEngineRunsOutOfMemoryTellsTheMasterWhy() {
        try (Group group = new Group("popen//jvmargs=-Xmx64m")) {
            Gateway gw = group.get(0);
            Channel hog = gw.remoteExec(ch -> {
                byte[] held = new byte[40 << 20];
                ch.send("holding");
                ch.receive();
                held[1] = 1;
            });
            assertEquals("holding", hog.receive(String.class, T));
            byte[] big = new byte[30 << 20]; // the worker's receiver cannot make room for it
            // The send itself may fail, when the worker stops reading halfway: either way, the reason is the error.
            ConnectionLostException lost = assertThrows(ConnectionLostException.class, () -> {
                hog.send(big);
                hog.waitClose(T);
            });
            assertTrue(lost.getMessage().contains("OutOfMemoryError"), lost.getMessage());
            assertTrue(lost.getMessage().contains("exited with status 1"), lost.getMessage());
        }
    }
}
