package org.jexecnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.jexecnet.testing.NoLeftoverWorkers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Finding 4 of issue 15: the worker's receiver thread waited, up to a second, while a
 * main_thread_only worker decided to refuse a second execution; every channel waited with it. The
 * receiver only decodes and hands on: the refusal takes its second elsewhere.
 */
@ExtendWith(NoLeftoverWorkers.class)
class ReceiverThreadTest {
    static final Duration T = Duration.ofSeconds(30);

    @Test
    void aRefusalThatTakesASecondDelaysNoOtherChannel() {
        try (Group group = new Group("popen//execmodel=main_thread_only")) {
            Gateway gw = group.get(0);
            Channel echo = gw.remoteExec(ch -> {
                for (Object item : ch) {
                    ch.send(item);
                }
            });
            echo.send(0);
            assertEquals(0, echo.receive(Integer.class, T)); // it holds the main thread now
            Channel refused = gw.remoteExec(ch -> ch.send("never"));
            echo.send(1);
            assertEquals(1, echo.receive(Integer.class, T));
            // Before: the worker's receiver spent the second on the refusal before it read the 1, so the
            // refusal had arrived by the time the echo did.
            assertFalse(refused.isClosed(), "the echo waited for the refusal of another execution");
            RemoteException e = assertThrows(RemoteException.class, () -> refused.waitClose(T));
            assertTrue(e.getMessage().contains("concurrent remote_exec would cause deadlock"), e.getMessage());
            echo.close();
        }
    }
}
