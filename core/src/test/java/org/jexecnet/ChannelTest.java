package org.jexecnet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jexecnet.testing.NoLeftoverWorkers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** execnet's test_channel.py checklist, against a real worker JVM. */
@ExtendWith(NoLeftoverWorkers.class)
class ChannelTest {
    static final Duration T = Duration.ofSeconds(30);

    private static Group group;
    private static Gateway gw;

    @BeforeAll
    static void start() {
        group = new Group("popen//id=channels");
        gw = group.get(0);
    }

    @AfterAll
    static void stop() {
        group.terminate(Duration.ofSeconds(5));
    }

    private static Object poll(BlockingQueue<Object> queue) throws InterruptedException {
        Object item = queue.poll(T.toSeconds(), TimeUnit.SECONDS);
        assertTrue(item != null || queue.isEmpty(), "an item within " + T);
        return item;
    }

    @Test
    void itemsGoBothWaysInOrder() {
        Channel channel = gw.remoteExec("for (Object x : channel) channel.send(x);");
        List<Object> sent = List.of(1, "two", 3.0, List.of(4), Tuple.of(5, null));
        for (Object item : sent) {
            channel.send(item);
        }
        for (Object item : sent) {
            assertEquals(item, channel.receive(T));
        }
        channel.close();
        channel.waitClose(T);
    }

    @Test
    void receiveWithATimeoutFailsThenSucceedsWhenTheItemComes() {
        Channel channel = gw.remoteExec("channel.send(channel.receive(Integer.class) * 2);");
        ChannelTimeoutException e = assertThrows(ChannelTimeoutException.class, () -> channel.receive(Duration.ofMillis(200)));
        assertEquals(Duration.ofMillis(200), e.timeout());
        channel.send(21);
        assertEquals(42, (Integer) channel.receive(T));
    }

    @Test
    void aRemoteExceptionIsRaisedOnceThenTheChannelIsClosed() {
        Channel channel = gw.remoteExec("channel.send(42);\nthrow new IllegalStateException(\"boom\");");
        assertEquals(42, (Integer) channel.receive(T));
        RemoteException e = assertThrows(RemoteException.class, () -> channel.receive(T));
        assertEquals("java.lang.IllegalStateException", e.remoteType());
        assertTrue(e.remoteTrace().startsWith("java.lang.IllegalStateException: boom"), e.remoteTrace());
        assertTrue(e.remoteTrace().contains(".java:2)"), "the remote trace names the user's line 2: " + e.remoteTrace());
        for (int i = 0; i < 3; i++) {
            ChannelClosedException closed = assertThrows(ChannelClosedException.class, () -> channel.receive(T));
            assertFalse(closed instanceof ConnectionLostException);
        }
    }

    @Test
    void waitCloseRaisesTheRemoteError() {
        Channel channel = gw.remoteExec("Object x = null; x.hashCode();");
        RemoteException e = assertThrows(RemoteException.class, () -> channel.waitClose(T));
        assertEquals("java.lang.NullPointerException", e.remoteType());
        channel.waitClose(T); // raised once: afterwards a plain return
    }

    @Test
    void iterationEndsWhenTheRemoteCodeReturns() {
        Channel channel = gw.remoteExec("for (int i = 0; i < 3; i++) channel.send(i);");
        List<Object> items = new ArrayList<>();
        channel.forEach(items::add);
        assertEquals(List.of(0, 1, 2), items);
    }

    @Test
    void iterationRaisesARemoteFailure() {
        Channel channel = gw.remoteExec("channel.send(1); throw new RuntimeException(\"in the middle\");");
        List<Object> items = new ArrayList<>();
        assertThrows(RemoteException.class, () -> channel.forEach(items::add));
        assertEquals(List.of(1), items);
    }

    @Test
    void waitCloseTimesOutWhileTheRemoteIsBusyAndReturnsWhenItIsDone() {
        Channel channel = gw.remoteExec("channel.receive();");
        assertThrows(ChannelTimeoutException.class, () -> channel.waitClose(Duration.ofMillis(100)));
        channel.send(1);
        channel.waitClose(T);
        assertTrue(channel.isClosed());
    }

    @Test
    void channelsTravelInsideItemsBothWays() {
        Channel channel = gw.remoteExec("""
                Tuple pair = channel.receive(Tuple.class);
                Channel in = (Channel) pair.get(0), out = (Channel) pair.get(1);
                out.send(in.receive(Integer.class) + 1);
                """);
        Channel a = gw.newChannel();
        Channel b = gw.newChannel();
        channel.send(Tuple.of(a, b));
        a.send(41);
        assertEquals(42, (Integer) b.receive(T));
    }

    @Test
    void aChannelSentBackIsTheSameObject() {
        Channel channel = gw.remoteExec("channel.send(channel.receive());");
        Channel mine = gw.newChannel();
        channel.send(mine);
        assertSame(mine, channel.receive(T));
    }

    @Test
    void theRemoteSideCanMakeAChannelAndSendOnIt() {
        Channel channel = gw.remoteExec("Channel made = channel.gateway().newChannel(); channel.send(made); made.send(42);");
        Channel made = channel.receive(Channel.class, T);
        assertEquals(0, made.id() % 2, "a worker's channel ids are even");
        assertEquals(1, channel.id() % 2, "the master's are odd");
        assertEquals(42, (Integer) made.receive(T));
    }

    @Test
    void aChannelOfAnotherGatewayCannotBeSent() {
        Channel channel = gw.remoteExec("channel.receive();");
        try (Group other = new Group("popen")) {
            Channel foreign = other.get(0).newChannel();
            DumpException e = assertThrows(DumpException.class, () -> channel.send(List.of(foreign)));
            assertTrue(e.getMessage().contains("own gateway"), e.getMessage());
        }
        channel.send(0);
    }

    @Test
    void aCallbackGetsQueuedItemsFirstAndReceiveIsRefusedAfterwards() throws Exception {
        Channel channel = gw.remoteExec("for (int i = 0; i < 3; i++) channel.send(i); channel.receive(); channel.send(3);");
        assertEquals(0, (Integer) channel.receive(T));
        channel.send("go"); // the remote is past its first three sends once it reads this; wait for it below
        BlockingQueue<Object> got = new LinkedBlockingQueue<>();
        channel.setCallback(got::add);
        assertEquals(List.of(1, 2, 3), List.of(poll(got), poll(got), poll(got)));
        assertThrows(IllegalStateException.class, () -> channel.receive(T));
        assertThrows(IllegalStateException.class, () -> channel.setCallback(got::add));
    }

    @Test
    void anEndmarkerFollowsTheItems() throws Exception {
        Channel channel = gw.remoteExec("for (int i = 0; i < 3; i++) channel.send(i);");
        BlockingQueue<Object> got = new LinkedBlockingQueue<>();
        channel.setCallback(got::add, 999);
        assertEquals(List.of(0, 1, 2, 999), List.of(poll(got), poll(got), poll(got), poll(got)));
    }

    @Test
    void anEndmarkerAlsoFollowsARemoteErrorWhichWaitCloseRaises() throws Exception {
        Channel channel = gw.remoteExec("channel.send(1); throw new IllegalArgumentException(\"bad\");");
        BlockingQueue<Object> got = new LinkedBlockingQueue<>();
        channel.setCallback(got::add, 999);
        assertEquals(List.of(1, 999), List.of(poll(got), poll(got)));
        assertThrows(RemoteException.class, () -> channel.waitClose(T));
    }

    @Test
    void anEndmarkerCallbackHasRunWhenWaitCloseReturns() throws Exception {
        // The remote waits for "go", so that the end reaches the callback on the receiver thread, not
        // inside setCallback (which hands a callback what was queued already, the end included).
        Channel channel = gw.remoteExec("channel.receive(); channel.send(42);");
        CountDownLatch inEndmarker = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Object> got = new CopyOnWriteArrayList<>();
        channel.setCallback(item -> {
            if (Integer.valueOf(999).equals(item)) {
                inEndmarker.countDown();
                try {
                    release.await(T.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            got.add(item);
        }, 999);
        channel.send("go");
        assertTrue(inEndmarker.await(T.toSeconds(), TimeUnit.SECONDS), "the endmarker callback runs");
        // The peer has closed and the endmarker callback is running: waitClose waits for it to return.
        assertThrows(ChannelTimeoutException.class, () -> channel.waitClose(Duration.ofMillis(200)));
        release.countDown();
        channel.waitClose(T);
        assertEquals(List.of(42, 999), got);
    }

    @Test
    void theEndmarkerIsDeliveredBeforeWaitCloseReturnsEveryTime() {
        // The race of issue 14: waitClose returned before the endmarker reached the callback, 27 times in 200.
        for (int i = 0; i < 200; i++) {
            Channel channel = gw.remoteExec("channel.send(42);");
            List<Object> got = new CopyOnWriteArrayList<>();
            channel.setCallback(got::add, 999);
            channel.waitClose(T);
            assertEquals(List.of(42, 999), got, "run " + i);
        }
    }

    @Test
    void aCallbackThatThrowsMakesWaitCloseRaiseItOnceAndThePeerSeesIt() {
        Channel channel = gw.remoteExec("""
                Channel report = channel.receive();
                channel.send(1);
                try {
                    channel.receive();
                    report.send("no error");
                } catch (RemoteException e) {
                    report.send(e.remoteTrace());
                }
                """);
        Channel report = gw.newChannel();
        channel.send(report);
        channel.setCallback(item -> {
            throw new IllegalStateException("callback failed on " + item);
        });
        ExecnetException e = assertThrows(ExecnetException.class, () -> channel.waitClose(T));
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals("callback failed on 1", e.getCause().getMessage());
        assertTrue(e.getMessage().contains("callback"), e.getMessage());
        channel.waitClose(T); // raised once, as execnet's remote errors
        assertTrue(report.receive(String.class, T).contains("callback failed on 1"), "the peer saw the callback's failure");
    }

    @Test
    void aFailingCallbackClosesTheChannelWithItsErrorForThePeer() {
        Channel channel = gw.remoteExec("""
                Channel watched = channel.gateway().newChannel();
                watched.setCallback(item -> { throw new IllegalStateException("callback failed on " + item); });
                channel.send(watched);
                channel.receive();
                channel.send(watched.isClosed());
                """);
        Channel watched = channel.receive(Channel.class, T);
        watched.send(42);
        RemoteException e = assertThrows(RemoteException.class, () -> watched.waitClose(T));
        assertTrue(e.getMessage().contains("callback failed on 42"), e.getMessage());
        channel.send("check");
        assertEquals(true, channel.receive(T));
    }

    @Test
    void sendingOnAClosedChannelFails() {
        Channel channel = gw.remoteExec("");
        channel.waitClose(T);
        ChannelClosedException e = assertThrows(ChannelClosedException.class, () -> channel.send(1));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        Channel mine = gw.newChannel();
        mine.close();
        mine.close(); // twice: nothing happens
        assertThrows(ChannelClosedException.class, () -> mine.send(1));
    }

    @Test
    void remoteCodeCannotCloseItsOwnChannel() {
        Channel channel = gw.remoteExec("channel.close();");
        RemoteException e = assertThrows(RemoteException.class, () -> channel.waitClose(T));
        assertTrue(e.getMessage().contains("cannot explicitly close"), e.getMessage());
    }

    @Test
    void closingWithAnErrorRaisesItOnTheOtherSide() {
        Channel channel = gw.remoteExec("""
                Channel watched = channel.receive(Channel.class);
                try {
                    watched.receive();
                } catch (RemoteException e) {
                    channel.send(e.remoteTrace());
                }
                """);
        Channel watched = gw.newChannel();
        channel.send(watched);
        watched.close("stop now");
        assertEquals("stop now", channel.receive(T));
        assertTrue(watched.isClosed());
    }

    @Test
    void anUnserializableRemoteItemFailsTheRemoteCodeNamingTheType() {
        Channel channel = gw.remoteExec("channel.send(new Object());");
        RemoteException e = assertThrows(RemoteException.class, () -> channel.receive(T));
        assertTrue(e.getMessage().contains("cannot serialize java.lang.Object"), e.getMessage());
    }

    @Test
    void anOutputStreamSendsBytesItems() {
        Channel channel = gw.remoteExec("""
                java.io.OutputStream out = channel.asOutputStream();
                out.write("hello world\\n".getBytes());
                channel.send(42);
                """);
        assertArrayEquals("hello world\n".getBytes(StandardCharsets.UTF_8), channel.receive(byte[].class, T));
        assertEquals(42, (Integer) channel.receive(T));
    }

    @Test
    void anInputStreamReadsBytesAndStringItemsUntilTheChannelCloses() throws Exception {
        Channel channel = gw.remoteExec("channel.send(\"xy\"); channel.send(\"abcde\".getBytes()); channel.send(\"12\\n3\\n45\");");
        InputStream in = channel.asInputStream();
        assertEquals("xy", new String(in.readNBytes(2), StandardCharsets.UTF_8));
        assertEquals("abcde", new String(in.readNBytes(5), StandardCharsets.UTF_8));
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        assertEquals("12", lines.readLine());
        assertEquals("3", lines.readLine());
        assertEquals("45", lines.readLine());
        assertNull(lines.readLine());
        assertEquals(-1, in.read());
    }

    @Test
    void closingAProxyStreamClosesTheChannel() throws Exception {
        Channel channel = gw.remoteExec("channel.receive();");
        channel.asInputStream(Channel.StreamClose.CLOSES_CHANNEL).close();
        assertTrue(channel.isClosed());
        Channel own = gw.remoteExec("channel.asOutputStream(org.jexecnet.Channel.StreamClose.CLOSES_CHANNEL).close();");
        RemoteException e = assertThrows(RemoteException.class, () -> own.waitClose(T));
        assertTrue(e.getMessage().contains("cannot explicitly close"), e.getMessage());
    }

    @Test
    void whatRemoteCodePrintsCannotCorruptTheProtocol() throws Exception {
        Channel channel = gw.remoteExec("""
                System.out.println("printed to System.out");
                System.out.flush();
                new java.io.FileOutputStream(java.io.FileDescriptor.out).write("raw bytes on descriptor 1\\n".getBytes());
                Process p = new ProcessBuilder("sh", "-c", "echo from a child process; echo >&2 child stderr")
                        .inheritIO().start();
                p.waitFor();
                channel.send(System.in.read());
                channel.send("still in sync");
                """);
        assertEquals(-1, (Integer) channel.receive(T), "the worker's stdin is empty");
        assertEquals("still in sync", channel.receive(T));
        assertTrue(gw.isAlive());
    }

    @Test
    void streamsOfSmallMessagesArriveCompleteAndInOrderBothWays() {
        Channel channel = gw.remoteExec("""
                long sum = 0;
                for (int i = 0; i < 100_000; i++) {
                    sum += channel.receive(Integer.class);
                }
                channel.send(sum);
                for (int i = 0; i < 100_000; i++) {
                    channel.send(i);
                }
                """);
        for (int i = 0; i < 100_000; i++) {
            channel.send(i);
        }
        assertEquals(4_999_950_000L, ((Number) channel.receive(T)).longValue());
        for (int i = 0; i < 100_000; i++) {
            assertEquals(i, (Integer) channel.receive(T));
        }
        channel.waitClose(T);
    }

    @Test
    void concurrentSendersOnManyChannelsKeepEachChannelsOrder() throws Exception {
        int channels = 6;
        List<Channel> echoes = new ArrayList<>();
        for (int c = 0; c < channels; c++) {
            echoes.add(gw.remoteExec("for (Object x : channel) channel.send(x);"));
        }
        List<Thread> senders = new ArrayList<>();
        for (Channel echo : echoes) {
            Thread sender = new Thread(() -> {
                for (int i = 0; i < 20_000; i++) {
                    echo.send(i % 7 == 0 ? new byte[300] : (Object) i);
                }
            });
            sender.start();
            senders.add(sender);
        }
        for (Channel echo : echoes) {
            for (int i = 0; i < 20_000; i++) {
                Object item = echo.receive(T);
                if (i % 7 == 0) {
                    assertEquals(300, ((byte[]) item).length);
                } else {
                    assertEquals(i, (Integer) item);
                }
            }
        }
        for (Thread sender : senders) {
            sender.join(T.toMillis());
        }
        echoes.forEach(Channel::close);
    }

    @Test
    void bulkBytesArriveIntact() {
        Channel channel = gw.remoteExec("for (Object x : channel) channel.send(x);");
        byte[] data = new byte[3 << 20];
        new java.util.Random(1).nextBytes(data);
        for (int i = 0; i < 5; i++) {
            channel.send(data);
            assertArrayEquals(data, channel.receive(byte[].class, T));
        }
        channel.close();
    }

    @Test
    void stringCoercionIsSetPerChannelOnBothSides() {
        Channel channel = gw.remoteExec("channel.send(channel.receive()); channel.send(channel.receive());");
        channel.reconfigure(StringCoercion.SWAPPED);
        channel.send("text");
        assertArrayEquals("text".getBytes(StandardCharsets.UTF_8), channel.receive(byte[].class, T), "py3str_as_py2str gives bytes");
        channel.reconfigure(StringCoercion.PY2STR_AS_PY3STR);
        channel.send("text");
        assertInstanceOf(String.class, channel.receive(T));
    }
}
