package org.jexecnet.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/** A channel's credit, both ways, and the lending that keeps "send N, then receive N" alive. */
class CreditTest {
    private static final long WINDOW = 1 << 20;
    private final AtomicInteger grantRequests = new AtomicInteger();

    private FlowControl flow(FlowControl.Stretch stretch) {
        return new FlowControl(WINDOW, stretch, new ReentrantLock(), grantRequests::incrementAndGet);
    }

    @Test
    void consumedBytesAreGrantedBackAQuarterWindowAtATime() {
        FlowControl flow = flow(new FlowControl.Stretch(0));
        flow.arrived(WINDOW / 8);
        flow.consumed(WINDOW / 8);
        assertEquals(0, flow.takeGrant(), "an eighth is not worth a frame");
        flow.arrived(WINDOW / 8);
        flow.consumed(WINDOW / 8);
        assertEquals(WINDOW / 4, flow.takeGrant());
        assertEquals(1, grantRequests.get());
    }

    @Test
    void aSendTakesCreditOverdrawsWithOneItemThenWaitsForAGrant() throws Exception {
        FlowControl flow = flow(new FlowControl.Stretch(0));
        assertTrue(flow.tryAcquire(WINDOW - 1));
        assertTrue(flow.tryAcquire(WINDOW), "one item may overdraw what is left");
        assertFalse(flow.tryAcquire(1));
        assertEquals(FlowControl.Credit.TIMED_OUT, flow.await(1, 0), "a send that may not wait fails at once");
        CompletableFuture<FlowControl.Credit> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return flow.await(1, -1);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        flow.grant(WINDOW); // not yet enough: the credit is still below zero
        flow.grant(WINDOW);
        assertEquals(FlowControl.Credit.TAKEN, waiting.get(30, TimeUnit.SECONDS));
    }

    @Test
    void theEndReleasesAWaitingSend() throws Exception {
        FlowControl flow = flow(new FlowControl.Stretch(0));
        flow.tryAcquire(2 * WINDOW);
        CompletableFuture<FlowControl.Credit> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return flow.await(1, -1);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        flow.end();
        assertEquals(FlowControl.Credit.ENDED, waiting.get(30, TimeUnit.SECONDS));
    }

    @Test
    void aWaitingSendLendsAPeerThatUsedUpItsCreditAndTheLoanIsRepaidFirst() throws Exception {
        FlowControl.Stretch stretch = new FlowControl.Stretch(3 * WINDOW);
        FlowControl flow = flow(stretch);
        flow.arrived(WINDOW); // the peer sent all it may: it waits for this side to read
        flow.tryAcquire(2 * WINDOW); // and this side's send has no credit left either
        assertEquals(FlowControl.Credit.TIMED_OUT, flow.await(1, 0));
        assertEquals(WINDOW, flow.takeGrant(), "waiting, this side lent the peer a window");
        assertEquals(2 * WINDOW, stretch.take(Long.MAX_VALUE), "from the stretch");
        stretch.release(2 * WINDOW);
        flow.consumed(WINDOW / 2);
        assertEquals(0, flow.takeGrant(), "consuming repays the loan before anything is granted");
        flow.consumed(WINDOW / 2);
        flow.consumed(WINDOW / 4);
        assertEquals(WINDOW / 4, flow.takeGrant(), "then grants resume");
        assertEquals(3 * WINDOW, stretch.take(Long.MAX_VALUE), "the loan went back to the stretch");
    }

    @Test
    void aPeerThatCanStillSendIsNotLent() throws Exception {
        FlowControl.Stretch stretch = new FlowControl.Stretch(3 * WINDOW);
        FlowControl flow = flow(stretch);
        flow.tryAcquire(2 * WINDOW);
        assertEquals(FlowControl.Credit.TIMED_OUT, flow.await(1, 0));
        assertEquals(0, flow.takeGrant(), "a channel the peer does not send on never borrows");
    }

    @Test
    void lendingStopsAtTheStretchAndAnEndGivesTheLoanBack() throws Exception {
        FlowControl.Stretch stretch = new FlowControl.Stretch(WINDOW + WINDOW / 2);
        FlowControl flow = flow(stretch);
        flow.tryAcquire(2 * WINDOW);
        long lent = 0;
        for (int i = 0; i < 5; i++) {
            flow.arrived(WINDOW); // the peer uses up what it has each time
            flow.await(1, 0);
            lent += flow.takeGrant();
        }
        assertEquals(WINDOW + WINDOW / 2, lent, "no more than the stretch");
        flow.end();
        assertEquals(WINDOW + WINDOW / 2, stretch.take(Long.MAX_VALUE));
    }
}
