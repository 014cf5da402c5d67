package org.jexecnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jexecnet.internal.gateway.MasterGateway;
import org.jexecnet.testing.NoLeftoverWorkers;
import org.jexecnet.testing.PythonExecnet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The channel semantics of execnet's test_channel.py, run against both kinds of worker: a JVM, with
 * Java source, and Python execnet's own worker, with Python source. Each scenario is the same test
 * with the same assertions; only the remote code's language differs.
 */
@ExtendWith(NoLeftoverWorkers.class)
class ChannelSemanticsTest {
    static final Duration T = Duration.ofSeconds(30);

    /** A kind of worker: its spec and the remote code of each scenario in its language. */
    enum Kind {
        JVM("popen", Map.ofEntries(
                Map.entry("double", "channel.send(channel.receive(Integer.class) * 2);"),
                Map.entry("failAfterOne", "channel.send(42);\nthrow new IllegalArgumentException(\"boom\");"),
                Map.entry("three", "for (int i = 0; i < 3; i++) channel.send(i);"),
                Map.entry("channelsInside", """
                        Tuple pair = channel.receive(Tuple.class);
                        Channel a = (Channel) pair.get(0);
                        Channel b = (Channel) pair.get(1);
                        b.send(a.receive(Integer.class) + 1);
                        Channel made = channel.gateway().newChannel();
                        channel.send(made);
                        made.send("on a channel the worker made");
                        """),
                Map.entry("file", """
                        var out = channel.asOutputStream();
                        out.write("hello ".getBytes());
                        out.write("world".getBytes());
                        out.flush();
                        """),
                Map.entry("watch", """
                        Channel watched = channel.receive(Channel.class);
                        try {
                            watched.receive();
                        } catch (Exception e) {
                            channel.send(e.getMessage());
                        }
                        """),
                Map.entry("busy", "channel.send(\"running\");\nchannel.receive();"),
                Map.entry("closeOwn", "channel.close();"),
                Map.entry("sleepForever", "channel.send(\"up\");\nThread.sleep(600_000);")),
                "java.lang.IllegalArgumentException", "boom"),
        PYTHON("popen//python=" + PythonExecnet.interpreter(), Map.ofEntries(
                Map.entry("double", "channel.send(channel.receive() * 2)"),
                Map.entry("failAfterOne", "channel.send(42)\nraise ValueError('boom')"),
                Map.entry("three", "for i in range(3):\n    channel.send(i)"),
                Map.entry("channelsInside", """
                        a, b = channel.receive()
                        b.send(a.receive() + 1)
                        made = channel.gateway.newchannel()
                        channel.send(made)
                        made.send('on a channel the worker made')
                        """),
                Map.entry("file", "f = channel.makefile('w')\nf.write('hello ')\nf.write(b'world')"),
                Map.entry("watch", """
                        watched = channel.receive()
                        try:
                            watched.receive()
                        except Exception as e:
                            channel.send(str(e))
                        """),
                Map.entry("busy", "channel.send('running')\nchannel.receive()"),
                Map.entry("closeOwn", "channel.close()"),
                Map.entry("sleepForever", "import time\nchannel.send('up')\ntime.sleep(600)")),
                "ValueError", "boom");

        final String spec;
        final Map<String, String> code;
        final String errorType;
        final String errorText;

        Kind(String spec, Map<String, String> code, String errorType, String errorText) {
            this.spec = spec;
            this.code = code;
            this.errorType = errorType;
            this.errorText = errorText;
        }

        Channel exec(String scenario) {
            return gateways.get(this).remoteExec(code.get(scenario));
        }
    }

    private static Group group;
    private static final Map<Kind, Gateway> gateways = new EnumMap<>(Kind.class);

    @BeforeAll
    static void start() {
        group = new Group();
        for (Kind kind : Kind.values()) {
            gateways.put(kind, group.makeGateway(kind.spec));
        }
    }

    @AfterAll
    static void stop() {
        group.terminate(Duration.ofSeconds(10));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void receiveTimesOutThenSucceeds(Kind kind) {
        Channel channel = kind.exec("double");
        assertThrows(ChannelTimeoutException.class, () -> channel.receive(Duration.ofMillis(200)));
        channel.send(21);
        assertEquals(42, (Integer) channel.receive(T));
        channel.waitClose(T);
        assertTrue(channel.isClosed());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aRemoteErrorArrivesOnceWithItsTraceThenTheChannelIsClosed(Kind kind) {
        Channel channel = kind.exec("failAfterOne");
        assertEquals(42, (Integer) channel.receive(T));
        RemoteException e = assertThrows(RemoteException.class, () -> channel.receive(T));
        assertEquals(kind.errorType, e.remoteType());
        assertTrue(e.remoteTrace().contains(kind.errorText), e.remoteTrace());
        ChannelClosedException closed = assertThrows(ChannelClosedException.class, () -> channel.receive(T));
        assertFalse(closed instanceof ConnectionLostException);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void iterationEndsWhenTheRemoteCodeReturns(Kind kind) {
        List<Object> items = new ArrayList<>();
        kind.exec("three").forEach(items::add);
        assertEquals(List.of(0, 1, 2), items);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void channelsTravelInsideItemsBothWays(Kind kind) {
        Gateway gw = gateways.get(kind);
        Channel channel = kind.exec("channelsInside");
        Channel a = gw.newChannel();
        Channel b = gw.newChannel();
        channel.send(Tuple.of(a, b));
        a.send(41);
        assertEquals(42, (Integer) b.receive(T));
        Channel made = channel.receive(Channel.class, T);
        assertEquals(0, made.id() % 2, "a worker's channel ids are even");
        assertEquals("on a channel the worker made", made.receive(T));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void callbacksGetEveryItemThenTheEndmarker(Kind kind) throws Exception {
        Channel channel = kind.exec("three");
        BlockingQueue<Object> got = new LinkedBlockingQueue<>();
        channel.setCallback(got::add, "END");
        List<Object> all = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            all.add(got.poll(T.toSeconds(), TimeUnit.SECONDS));
        }
        assertEquals(List.of(0, 1, 2, "END"), all);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aRemoteChannelFileIsAnInputStreamHere(Kind kind) throws Exception {
        InputStream in = kind.exec("file").asInputStream();
        assertEquals("hello world", new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void closingWithAnErrorRaisesItOnTheOtherSide(Kind kind) {
        Channel channel = kind.exec("watch");
        Channel watched = gateways.get(kind).newChannel();
        channel.send(watched);
        watched.close("stop now");
        String message = channel.receive(String.class, T);
        assertTrue(message.contains("stop now"), message);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void statusCountsRunningExecutions(Kind kind) {
        Gateway gw = gateways.get(kind);
        Channel busy = kind.exec("busy");
        assertEquals("running", busy.receive(T));
        RemoteStatus status = gw.remoteStatus(T);
        assertEquals(1, status.numExecuting());
        assertEquals("thread", status.execModel());
        busy.send(1);
        busy.waitClose(T);
        assertTrue(ProcessHandle.of(gw.remoteInfo(T).pid()).isPresent());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void remoteCodeCannotCloseItsOwnChannel(Kind kind) {
        RemoteException e = assertThrows(RemoteException.class, () -> kind.exec("closeOwn").waitClose(T));
        assertTrue(e.getMessage().contains("close"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aKilledWorkerFailsEveryWaitAtOnce(Kind kind) {
        Gateway gw = group.makeGateway(kind.spec);
        Channel running = gw.remoteExec(kind.code.get("sleepForever"));
        assertEquals("up", running.receive(T));
        ((MasterGateway) gw).kill();
        assertThrows(ConnectionLostException.class, () -> running.receive(T));
        assertThrows(ConnectionLostException.class, () -> running.waitClose(T));
        assertThrows(ChannelClosedException.class, () -> gw.remoteExec(kind.code.get("double")));
    }
}
