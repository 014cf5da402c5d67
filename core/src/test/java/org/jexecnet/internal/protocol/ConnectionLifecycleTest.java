package org.jexecnet.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jexecnet.ChannelClosedException;
import org.jexecnet.ConnectionLostException;
import org.jexecnet.ExecModel;
import org.jexecnet.Tuple;
import org.jexecnet.internal.serial.Dumper;
import org.jexecnet.internal.serial.Loader;
import org.jexecnet.internal.serial.StringCoercion;
import org.junit.jupiter.api.Test;

/**
 * A connection's one state and its one way into "ended", driven frame by frame by a test that plays
 * the peer; background work runs only when the test says, by a fake clock.
 */
class ConnectionLifecycleTest {
    private final FakeClock clock = new FakeClock();
    private final TaskRunner tasks = TaskRunner.manual(clock);
    private final Pipe in = new Pipe(1 << 16);
    private final Pipe out = new Pipe(1 << 16);
    private final TestRole role = new TestRole(1);
    private final Connection connection = new Connection("gw0", role, in.in(), out.out(), tasks);
    private final FrameWriter peer = new FrameWriter(in.out(), "peer");
    private final FrameReader fromConnection = new FrameReader(out.in());

    private void start() {
        connection.startReceiver(Threads.factory(ExecModel.THREAD));
    }

    /** Until the end has run whole: the role hears of it last, after the phase and every channel changed. */
    private void awaitEnd() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (role.ends.isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(Connection.Phase.ENDED, connection.phase());
    }

    @Test
    void anEndOfStreamEndsItOnceAsLostAndEveryChannelHearsWhy() throws Exception {
        start();
        RealChannel channel = connection.newChannel();
        peer.close();
        awaitEnd();
        ConnectionLostException lost = assertThrows(ConnectionLostException.class, () -> channel.receive(Link.T));
        assertTrue(lost.getMessage().contains("connection to gw0 lost: EOF without prior gateway termination message"),
                lost.getMessage());
        assertEquals(1, role.ends.size());
        assertInstanceOf(EOFException.class, role.ends.get(0));
        assertThrows(ConnectionLostException.class, connection::newChannel, "nothing opens after the end");
        connection.end(new IOException("a second ending")); // does nothing: the first end stands
        assertEquals(1, role.ends.size());
    }

    @Test
    void aTerminateEndsItInOrder() throws Exception {
        start();
        RealChannel channel = connection.newChannel();
        peer.write(Frame.GATEWAY_TERMINATE, 0, Frame.EMPTY);
        awaitEnd();
        ChannelClosedException closed = assertThrows(ChannelClosedException.class, () -> channel.receive(Link.T));
        assertEquals(ChannelClosedException.class, closed.getClass(), "not lost: an orderly end");
        assertTrue(closed.getMessage().contains("gateway gw0 has exited"), closed.getMessage());
    }

    @Test
    void exitingTellsThePeerRefusesSendsAndEndsInOrderWhenThePeerCloses() throws Exception {
        start();
        RealChannel channel = connection.newChannel();
        connection.exit();
        assertEquals(Connection.Phase.EXITING, connection.phase());
        ChannelClosedException refused = assertThrows(ChannelClosedException.class, () -> channel.send(1));
        assertTrue(refused.getMessage().contains("is exiting"), refused.getMessage());
        tasks.runDueTasks(); // the exit task: GATEWAY_TERMINATE, then the stream's end
        assertEquals(Frame.GATEWAY_TERMINATE, fromConnection.read().code());
        assertNull(fromConnection.read(), "the connection closed its output");
        peer.close();
        awaitEnd();
        assertEquals(1, role.ends.size());
        assertEquals("orderly", role.ends.get(0).getMessage());
    }

    @Test
    void framesForChannelsNeverOpenedAreSkippedAndCounted() throws Exception {
        start();
        byte[] data = Dumper.dumpPayload(new byte[1000], null);
        for (int i = 0; i < 1000; i++) {
            peer.write(Frame.CHANNEL_DATA, 1001 + 2 * i, data);
            peer.write(Frame.RECONFIGURE, 1001 + 2 * i, Connection.reconfigurePayload(StringCoercion.CHANNEL_DEFAULT));
            peer.write(Frame.CHANNEL_CLOSE, 1001 + 2 * i, Frame.EMPTY);
        }
        peer.write(Frame.STATUS, 3, Frame.EMPTY);
        in.awaitDrained(Link.T);
        assertEquals(3000, connection.droppedFrames());
        tasks.runDueTasks(); // the answer is written by a task: the receiver never writes
        Frame status = fromConnection.read();
        assertEquals(Map.of("numchannels", 0, "numexecuting", 0, "execmodel", "thread"),
                Loader.loadPayload(status.payload(), 0, status.payload().length, StringCoercion.CHANNEL_DEFAULT, null));
        assertEquals(Frame.CHANNEL_CLOSE, fromConnection.read().code());
        assertEquals(Connection.Phase.OPEN, connection.phase());
    }

    @Test
    void aPeerThatAsksWithoutReadingTheAnswersIsCutOff() throws Exception {
        start();
        for (int i = 0; i < Outbox.MAX_UNANSWERED; i++) {
            peer.write(Frame.STATUS, 1 + 2 * i, Frame.EMPTY); // two answers each: the bound is reached half way
        }
        awaitEnd();
        Throwable cause = role.ends.get(0);
        assertInstanceOf(ProtocolException.class, cause);
        assertTrue(cause.getMessage().contains("asked for 4096 answers without reading them"), cause.getMessage());
    }

    @Test
    void anErrorOnTheReceiverThreadEndsItAsLostNamingTheError() throws Exception {
        start();
        RealChannel channel = connection.newChannel();
        role.executeFails = new StackOverflowError();
        peer.write(Frame.CHANNEL_EXEC, 2, Dumper.dumpPayload(Tuple.of("anything"), null));
        awaitEnd();
        assertInstanceOf(StackOverflowError.class, role.ends.get(0), "the role hears the Error itself (a worker exits with status 1)");
        ConnectionLostException lost = assertThrows(ConnectionLostException.class, () -> channel.receive(Link.T));
        assertTrue(lost.getMessage().contains("connection to gw0 lost: java.lang.StackOverflowError"), lost.getMessage());
    }

    @Test
    void aChannelOpenedByThePeerGetsItsDataAndALaterFrameAfterItsCloseIsSkipped() throws Exception {
        start();
        peer.write(Frame.CHANNEL_EXEC, 2, Dumper.dumpPayload(Tuple.of("anything"), null));
        RealChannel opened = role.executions.poll(30, TimeUnit.SECONDS);
        peer.write(Frame.CHANNEL_DATA, 2, Dumper.dumpPayload("hello", null));
        assertEquals("hello", opened.receive(Link.T));
        peer.write(Frame.CHANNEL_CLOSE, 2, Frame.EMPTY);
        opened.waitClose(Link.T);
        peer.write(Frame.CHANNEL_DATA, 2, Dumper.dumpPayload("late", null));
        in.awaitDrained(Link.T);
        assertEquals(1, connection.droppedFrames());
    }
}
