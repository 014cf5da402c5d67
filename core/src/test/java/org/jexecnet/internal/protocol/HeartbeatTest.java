package org.jexecnet.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.jexecnet.ConnectionLostException;
import org.junit.jupiter.api.Test;

/**
 * The heartbeat's timing, by a fake clock: what LivenessTest shows end to end with real processes and
 * real seconds, here in milliseconds of test time. A quiet peer is kept, a silent one is given up after
 * exactly its timeout, a pause of this JVM is not taken for silence, and a receiver busy elsewhere
 * (loading a large item) is not waiting for its peer.
 */
class HeartbeatTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(8);

    private static Link beating(CountDownLatch masterGaveUp) {
        Link link = new Link(0);
        link.master.startHeartbeat(TIMEOUT, masterGaveUp::countDown, Connection.Heartbeats.NEVER_WAIT);
        link.worker.startHeartbeat(TIMEOUT, () -> { }, Connection.Heartbeats.WAIT_THEIR_TURN);
        return link;
    }

    @Test
    void twoQuietEndsKeepEachOtherForMinutes() throws Exception {
        CountDownLatch gaveUp = new CountDownLatch(1);
        try (Link link = beating(gaveUp)) {
            for (int second = 0; second < 300; second++) {
                link.clock.advance(Duration.ofSeconds(1));
                link.settle();
            }
            assertEquals(Connection.Phase.OPEN, link.master.phase());
            assertEquals(Connection.Phase.OPEN, link.worker.phase());
            assertEquals(1, gaveUp.getCount());
        }
    }

    @Test
    void aStoppedPeerIsGivenUpAfterItsTimeoutAndItsTransportEnded() throws Exception {
        CountDownLatch gaveUp = new CountDownLatch(1);
        try (Link link = beating(gaveUp)) {
            RealChannel waiting = link.master.newChannel();
            link.settle();
            for (int second = 1; second <= 8; second++) {
                link.masterOnly(Duration.ofSeconds(1)); // the worker's tasks do not run: it sends nothing
                assertEquals(Connection.Phase.OPEN, link.master.phase(), "still open after " + second + " s");
            }
            link.masterOnly(Duration.ofSeconds(1));
            assertEquals(Connection.Phase.ENDED, link.master.phase(), "given up after 9 s of silence");
            assertEquals(0, gaveUp.getCount(), "the transport was ended");
            ConnectionLostException lost = assertThrows(ConnectionLostException.class, () -> waiting.receive(Link.T));
            assertTrue(lost.getMessage().contains("no sign of life from gw0 for 8 s (heartbeat)"), lost.getMessage());
            assertEquals(1, link.masterRole.ends.size(), "ended once");
            assertInstanceOf(ConnectionLostException.class, link.masterRole.ends.get(0));
        }
    }

    @Test
    void aPauseOfThisJvmIsNotTakenForSilence() throws Exception {
        CountDownLatch gaveUp = new CountDownLatch(1);
        try (Link link = beating(gaveUp)) {
            link.clock.advance(Duration.ofSeconds(1));
            link.settle();
            link.clock.advance(Duration.ofSeconds(60)); // a collection or a SIGSTOP of this whole JVM
            link.settle();
            for (int second = 0; second < 20; second++) {
                link.clock.advance(Duration.ofSeconds(1));
                link.settle();
            }
            assertEquals(Connection.Phase.OPEN, link.master.phase());
            assertEquals(Connection.Phase.OPEN, link.worker.phase());
        }
    }

    @Test
    void theHeartbeatCarriesWhatItsSenderHasRead() throws Exception {
        CountDownLatch gaveUp = new CountDownLatch(1);
        try (Link link = beating(gaveUp)) {
            link.master.writer().write(Frame.RECONFIGURE, 0, Connection.reconfigurePayload(
                    org.jexecnet.internal.serial.StringCoercion.CHANNEL_DEFAULT));
            link.clock.advance(Duration.ofSeconds(2));
            link.settle(); // the worker beats, saying it read the master's frame
            link.clock.advance(Duration.ofSeconds(2));
            link.settle();
            assertEquals(Connection.Phase.OPEN, link.master.phase());
            assertTrue(link.worker.bytesRead() > 0);
            assertTrue(link.master.bytesRead() >= 17, "the master read the worker's beats");
        }
    }

    /** What LivenessTest did with a 64 MiB item: the byte runs of a large frame are signs of life as they come. */
    @Test
    void aLargeFrameArrivingSlowlyIsASignOfLifeAllAlong() throws Exception {
        CountDownLatch gaveUp = new CountDownLatch(1);
        try (Link link = beating(gaveUp)) {
            byte[] frame = new byte[9 + (1 << 20)];
            frame[0] = Frame.CHANNEL_DATA;
            frame[4] = 99; // a channel never opened: skipped as it arrives, which counts as much
            java.nio.ByteBuffer.wrap(frame, 5, 4).putInt(1 << 20);
            java.io.OutputStream worker = link.toMaster.out(); // the test speaks for a worker that beats no more
            for (int at = 0; at < frame.length; at += 1 << 16) {
                worker.write(frame, at, Math.min(1 << 16, frame.length - at));
                link.masterOnly(Duration.ofSeconds(1)); // 16 s for the frame, twice the timeout
                link.toMaster.awaitDrained(Link.T);
                assertEquals(Connection.Phase.OPEN, link.master.phase());
            }
            for (int second = 1; second <= 9; second++) {
                link.masterOnly(Duration.ofSeconds(1));
            }
            assertEquals(Connection.Phase.ENDED, link.master.phase(), "silence after the frame is still silence");
        }
    }

    /**
     * What LivenessTest did with a callback that slept for 3 s: a callback runs off the receiver thread,
     * so however long it takes, the receiver reads the peer's beats.
     */
    @Test
    void aCallbackRunningLongerThanTheTimeoutDoesNotSilenceThePeer() throws Exception {
        CountDownLatch gaveUp = new CountDownLatch(1);
        try (Link link = beating(gaveUp)) {
            RealChannel channel = link.master.sendExec(new byte[0]);
            RealChannel there = link.workerRole.executions.poll(30, java.util.concurrent.TimeUnit.SECONDS);
            CountDownLatch inCallback = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            channel.setCallback(item -> {
                inCallback.countDown();
                try {
                    release.await(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            there.send("item");
            link.toMaster.awaitDrained(Link.T);
            Thread delivering = new Thread(link.masterTasks::runDueTasks, "delivers the callback's item"); // it blocks in there
            delivering.start();
            assertTrue(inCallback.await(30, java.util.concurrent.TimeUnit.SECONDS));
            for (int second = 0; second < 30; second++) {
                link.clock.advance(Duration.ofSeconds(1));
                link.settle();
            }
            assertEquals(Connection.Phase.OPEN, link.master.phase(), "30 s in a callback, and the worker is not taken for silent");
            release.countDown();
            delivering.join(30_000);
        }
    }
}
