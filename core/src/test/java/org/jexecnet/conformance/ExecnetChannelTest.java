package org.jexecnet.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jexecnet.Channel;
import org.jexecnet.ChannelClosedException;
import org.jexecnet.ChannelTimeoutException;
import org.jexecnet.ConnectionLostException;
import org.jexecnet.RemoteException;
import org.jexecnet.Tuple;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * execnet's testing/test_channel.py, translated: each test on every gateway kind, the remote code in
 * Java for JVM workers and execnet's own Python source for the Python worker.
 */
@ExtendWith(Gateways.class)
class ExecnetChannelTest {
    /** execnet's TESTTIMEOUT is 10 s; a bound, never a wait: 30 s leaves room on a loaded machine. */
    static final Duration T = Duration.ofSeconds(30);

    static Object poll(BlockingQueue<Object> queue) throws InterruptedException {
        Object item = queue.poll(T.toSeconds(), TimeUnit.SECONDS);
        assertTrue(item != null || !queue.isEmpty(), "an item within " + T);
        return item;
    }

    @Nested
    class TestChannelBasicBehaviour {

        @EachGateway
        void test_serialize_error(Gw gw) {
            Channel ch = gw.exec("channel.send(new IllegalArgumentException(\"42\"));", "channel.send(ValueError(42))");
            RemoteException e = assertThrows(RemoteException.class, () -> ch.receive(T));
            // execnet's text is "can't serialize <class 'ValueError'>"; jexecnet's DumpException says "cannot serialize".
            assertTrue(e.getMessage().contains(gw.python() ? "can't serialize" : "cannot serialize java.lang.IllegalArgumentException"),
                    e.getMessage());
        }

        @EachGateway
        void test_channel_close_and_then_receive_error(Gw gw) {
            Channel channel = gw.exec("throw new IllegalArgumentException();", "raise ValueError");
            assertThrows(RemoteException.class, () -> channel.receive(T));
        }

        @EachGateway
        void test_channel_finish_and_then_EOFError(Gw gw) {
            Channel channel = gw.exec("channel.send(42);", "channel.send(42)");
            assertEquals(42, (Integer) channel.receive(T));
            for (int i = 0; i < 3; i++) {
                ChannelClosedException e = assertThrows(ChannelClosedException.class, () -> channel.receive(T));
                assertFalse(e instanceof ConnectionLostException, e.getMessage());
            }
        }

        @EachGateway
        void test_waitclose_timeouterror(Gw gw) {
            Channel channel = gw.exec("channel.receive();", "channel.receive()");
            assertThrows(ChannelTimeoutException.class, () -> channel.waitClose(Duration.ofMillis(20)));
            channel.send(1);
            channel.waitClose(T);
        }

        @EachGateway
        void test_channel_receive_timeout(Gw gw) {
            Channel channel = gw.exec("channel.send(channel.receive());", "channel.send(channel.receive())");
            assertThrows(ChannelTimeoutException.class, () -> channel.receive(Duration.ofMillis(200)));
            channel.send(1);
            assertEquals(1, (Integer) channel.receive(T));
        }

        /** execnet patches its internal wake-up interval to 0.2 s; here a receive without timeout meets a late item. */
        @EachGateway
        void test_channel_receive_internal_timeout(Gw gw) {
            Channel channel = gw.exec("""
                        Thread.sleep(500);
                        channel.send(1);
                    """, """
                        import time
                        time.sleep(0.5)
                        channel.send(1)
                    """);
            assertEquals(1, (Integer) channel.receive());
        }

        @EachGateway
        void test_channel_close_and_then_receive_error_multiple(Gw gw) {
            Channel channel = gw.exec("channel.send(42); throw new IllegalArgumentException();", "channel.send(42) ; raise ValueError");
            assertEquals(42, (Integer) channel.receive(T));
            assertThrows(RemoteException.class, () -> channel.receive(T));
        }

        /** execnet closes the channel through its factory's internals; here through the public close. */
        @EachGateway
        void test_channel__local_close(Gw gw) {
            Channel channel = gw.newChannel();
            channel.close();
            channel.waitClose(Duration.ofMillis(100));
        }

        /** execnet puts a RemoteError into the channel by hand; here the other side closes it with that error. */
        @EachGateway
        void test_channel__local_close_error(Gw gw) {
            Channel channel = gw.newChannel();
            gw.exec("((Channel) channel.receive()).close(\"error\");", "channel.receive().close('error')").send(channel);
            RemoteException e = assertThrows(RemoteException.class, () -> channel.waitClose(T));
            assertEquals("error", e.remoteTrace());
        }

        @EachGateway
        void test_channel_error_reporting(Gw gw) {
            // Python's NameError for an unknown name is, in Java, a NoSuchMethodException for an unknown method.
            Channel channel = gw.exec("""
                    java.util.concurrent.Callable<Object> foo = () -> Object.class.getMethod("foobar");
                    foo.call();
                    """, "def foo():\n  return foobar()\nfoo()\n");
            RemoteException e = assertThrows(RemoteException.class, () -> channel.receive(T));
            String msg = e.remoteTrace();
            if (gw.python()) {
                assertTrue(msg.startsWith("Traceback (most recent call last):"), msg);
                assertTrue(msg.contains("NameError"), msg);
            } else {
                assertTrue(msg.startsWith("java.lang.NoSuchMethodException"), msg);
            }
            assertTrue(msg.contains("foobar"), msg);
        }

        /** Java source compiles on the master, so its syntax error is raised by remoteExec, with the line. */
        @EachGateway
        void test_channel_syntax_error(Gw gw) {
            if (gw.python()) {
                Channel channel = gw.exec("", "def foo()\n return 1\nfoo()\n"); // missing colon
                RemoteException e = assertThrows(RemoteException.class, () -> channel.receive(T));
                assertTrue(e.remoteTrace().startsWith("Traceback (most recent call last):"), e.remoteTrace());
                assertTrue(e.remoteTrace().contains("SyntaxError"), e.remoteTrace());
            } else {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> gw.exec("int foo() {\n return 1;\n}\nfoo();\n", ""));
                assertTrue(e.getMessage().startsWith("remoteExec source does not compile:"), e.getMessage());
            }
        }

        @EachGateway
        void test_channel_iter(Gw gw) {
            Channel channel = gw.exec("""
                          for (int x = 0; x < 3; x++)
                            channel.send(x);
                    """, """
                          for x in range(3):
                            channel.send(x)
                    """);
            List<Object> l = new ArrayList<>();
            channel.forEach(l::add);
            assertEquals(List.of(0, 1, 2), l);
        }

        @EachGateway
        void test_channel_pass_in_structure(Gw gw) {
            Channel channel = gw.exec("""
                    Tuple pair = channel.receive();
                    Channel ch1 = (Channel) pair.get(0);
                    Channel ch2 = (Channel) pair.get(1);
                    int data = ch1.receive();
                    ch2.send(data + 1);
                    """, """
                    ch1, ch2 = channel.receive()
                    data = ch1.receive()
                    ch2.send(data+1)
                    """);
            Channel newchan1 = gw.newChannel();
            Channel newchan2 = gw.newChannel();
            channel.send(Tuple.of(newchan1, newchan2));
            newchan1.send(1);
            assertEquals(2, (Integer) newchan2.receive(T));
        }

        @EachGateway
        void test_channel_multipass(Gw gw) {
            Channel channel = gw.exec("""
                    channel.send(channel);
                    Channel xchan = channel.receive();
                    if (xchan != channel) {
                        throw new AssertionError("a channel sent back is not the same channel");
                    }
                    """, """
                    channel.send(channel)
                    xchan = channel.receive()
                    assert xchan == channel
                    """);
            Channel newchan = channel.receive(Channel.class, T);
            assertSame(channel, newchan);
            channel.send(newchan);
            channel.waitClose(T);
        }

        /**
         * execnet then checks that neither side's channel factory holds the channel any more; the
         * factories are not public here, so the worker's count of open channels (remote_status) shows it.
         */
        @EachGateway
        void test_channel_passing_over_channel(Gw gw) {
            int before = gw.gateway().remoteStatus(T).numChannels();
            Channel channel = gw.exec("""
                    Channel c = channel.gateway().newChannel();
                    channel.send(c);
                    c.send(42);
                    """, """
                    c = channel.gateway.newchannel()
                    channel.send(c)
                    c.send(42)
                    """);
            Channel c = channel.receive(Channel.class, T);
            assertInstanceOf(Channel.class, c);
            assertEquals(42, (Integer) c.receive(T));
            // check that the both sides previous channels are really gone
            channel.waitClose(T);
            assertTrue(channel.isClosed());
            c.close(); // Python's worker drops c when it is garbage; a JVM's keeps it until it is closed
            long deadline = System.nanoTime() + T.toNanos();
            while (gw.gateway().remoteStatus(T).numChannels() != before) {
                assertTrue(System.nanoTime() < deadline, "the worker still counts the channels after " + T);
            }
        }

        /** The remote source of execnet's callback tests: 42, 13, then a channel the worker made. */
        private Channel sends42And13AndAChannel(Gw gw) {
            return gw.exec("""
                    channel.send(42);
                    channel.send(13);
                    channel.send(channel.gateway().newChannel());
                    """, """
                    channel.send(42)
                    channel.send(13)
                    channel.send(channel.gateway.newchannel())
                    """);
        }

        @EachGateway
        void test_channel_receiver_callback(Gw gw) {
            List<Object> l = new CopyOnWriteArrayList<>();
            Channel channel = sends42And13AndAChannel(gw);
            channel.setCallback(l::add);
            assertThrows(IllegalStateException.class, () -> channel.receive(T)); // execnet: IOError
            channel.waitClose(T);
            assertEquals(3, l.size());
            assertEquals(List.of(42, 13), l.subList(0, 2));
            assertInstanceOf(Channel.class, l.get(2));
        }

        @EachGateway
        void test_channel_callback_after_receive(Gw gw) {
            List<Object> l = new CopyOnWriteArrayList<>();
            Channel channel = sends42And13AndAChannel(gw);
            assertEquals(42, (Integer) channel.receive(T));
            channel.setCallback(l::add);
            assertThrows(IllegalStateException.class, () -> channel.receive(T));
            channel.waitClose(T);
            assertEquals(2, l.size());
            assertEquals(13, l.get(0));
            assertInstanceOf(Channel.class, l.get(1));
        }

        @EachGateway
        void test_waiting_for_callbacks(Gw gw) {
            List<Object> l = new CopyOnWriteArrayList<>();
            Channel channel = gw.exec("channel.send(42);", "channel.send(42)");
            channel.setCallback(msg -> {
                try {
                    Thread.sleep(200); // the slow callback is the test's subject, not a wait
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                l.add(msg);
            });
            channel.waitClose(T);
            assertEquals(List.of(42), l);
        }

        /** The remote producer of execnet's check_channel_callback_stays_active, in both languages. */
        private static final String JAVA_PRODUCER = """
                Channel channel2 = channel.receive();
                Thread producer = new Thread(() -> {
                    try {
                        for (int i = 0; i < 5; i++) {
                            Thread.sleep(150);
                            channel2.send(i * 100);
                        }
                        %s
                    } catch (InterruptedException e) {
                        // the worker is ending
                    }
                });
                producer.start();
                """;
        private static final String PYTHON_PRODUCER = """
                import _thread
                import time
                def producer(subchannel):
                    for i in range(5):
                        time.sleep(0.15)
                        subchannel.send(i*100)
                channel2 = channel.receive()
                _thread.start_new_thread(producer, (channel2,))
                del channel2
                """;

        /**
         * execnet's check_channel_callback_stays_active: the items reach the callback after the
         * remote_exec has ended. execnet busy-waits on a list; here a queue is polled with a bound.
         */
        private Channel checkChannelCallbackStaysActive(Gw gw, String javaEnd) throws InterruptedException {
            BlockingQueue<Object> l = new LinkedBlockingQueue<>();
            Channel channel = gw.exec(JAVA_PRODUCER.formatted(javaEnd), PYTHON_PRODUCER);
            Channel subchannel = gw.newChannel();
            subchannel.setCallback(l::add);
            channel.send(subchannel);
            assertEquals(List.of(0, 100, 200, 300, 400), List.of(poll(l), poll(l), poll(l), poll(l), poll(l)));
            return subchannel;
        }

        @EachGateway
        void test_channel_callback_stays_active(Gw gw) throws InterruptedException {
            checkChannelCallbackStaysActive(gw, "");
        }

        /**
         * Python's worker closes the channel when the producer drops it (reference counting, "needs
         * early gc"); Java has no such moment, so the Java producer closes it when done, explicitly.
         */
        @EachGateway
        void test_channel_callback_remote_freed(Gw gw) throws InterruptedException {
            Channel channel = checkChannelCallbackStaysActive(gw, "channel2.close();");
            // freed automatically at the end of producer()
            channel.waitClose(T);
        }

        @EachGateway
        void test_channel_endmarker_callback(Gw gw) {
            List<Object> l = new CopyOnWriteArrayList<>();
            Channel channel = sends42And13AndAChannel(gw);
            channel.setCallback(l::add, 999);
            assertThrows(IllegalStateException.class, () -> channel.receive(T));
            channel.waitClose(T);
            assertEquals(4, l.size());
            assertEquals(List.of(42, 13), l.subList(0, 2));
            assertInstanceOf(Channel.class, l.get(2));
            assertEquals(999, l.get(3));
        }

        /** execnet reads the remote error with the private _getremoteerror(); here waitClose raises it. */
        @EachGateway
        void test_channel_endmarker_callback_error(Gw gw) throws InterruptedException {
            BlockingQueue<Object> q = new LinkedBlockingQueue<>();
            Channel channel = gw.exec("""
                        throw new IllegalArgumentException();
                    """, """
                        raise ValueError()
                    """);
            channel.setCallback(q::add, 999);
            assertEquals(999, poll(q));
            RemoteException err = assertThrows(RemoteException.class, () -> channel.waitClose(T));
            assertTrue(err.getMessage().contains(gw.python() ? "ValueError" : "IllegalArgumentException"), err.getMessage());
        }

        @EachGateway
        void test_channel_callback_error(Gw gw) {
            Channel channel = gw.exec("""
                    Channel ch = channel.gateway().newChannel();
                    ch.setCallback(item -> {
                        throw new IllegalArgumentException("42");
                    });
                    channel.send(ch);
                    channel.receive();
                    if (!ch.isClosed()) {
                        throw new AssertionError("the channel whose callback failed is not closed");
                    }
                    """, """
                    def f(item):
                        raise ValueError(42)
                    ch = channel.gateway.newchannel()
                    ch.setcallback(f)
                    channel.send(ch)
                    channel.receive()
                    assert ch.isclosed()
                    """);
            Channel subchan = channel.receive(Channel.class, T);
            assertInstanceOf(Channel.class, subchan);
            subchan.send(1);
            RemoteException e = assertThrows(RemoteException.class, () -> subchan.waitClose(T));
            assertTrue(e.remoteTrace().contains("42"), e.remoteTrace());
            channel.send(1);
            channel.waitClose(T);
        }
    }

    @Nested
    class TestChannelFile {

        /** Java's streams carry bytes: the JVM's file writes arrive as byte[], Python's as str. */
        @EachGateway
        void test_channel_file_write(Gw gw) {
            Channel channel = gw.exec("""
                    java.io.OutputStream f = channel.asOutputStream();
                    f.write("hello world\\n".getBytes());
                    f.close();
                    channel.send(42);
                    """, """
                    f = channel.makefile()
                    f.write("hello world\\n")
                    f.close()
                    channel.send(42)
                    """);
            Object first = channel.receive(T);
            String text = gw.python() ? (String) first : new String((byte[]) first, StandardCharsets.UTF_8);
            assertEquals("hello world", text.strip());
            assertEquals(42, (Integer) channel.receive(T));
        }

        /** execnet's file also says isatty() is False; Java's streams have no such question. */
        @EachGateway
        void test_channel_file_write_error(Gw gw) {
            Channel channel = gw.exec("", "pass");
            OutputStream f = channel.asOutputStream();
            channel.waitClose(T);
            assertThrows(IOException.class, () -> f.write("hello".getBytes(StandardCharsets.UTF_8)));
        }

        @EachGateway
        void test_channel_file_proxyclose(Gw gw) {
            Channel channel = gw.exec("""
                    java.io.OutputStream f = channel.asOutputStream(org.jexecnet.Channel.StreamClose.CLOSES_CHANNEL);
                    f.write("hello world".getBytes());
                    f.close();
                    channel.send(42);
                    """, """
                    f = channel.makefile(proxyclose=True)
                    f.write("hello world")
                    f.close()
                    channel.send(42)
                    """);
            Object first = channel.receive(T);
            String text = gw.python() ? (String) first : new String((byte[]) first, StandardCharsets.UTF_8);
            assertEquals("hello world", text.strip());
            assertThrows(RemoteException.class, () -> channel.receive(T));
        }

        @EachGateway
        void test_channel_file_read(Gw gw) {
            Channel channel = gw.exec("""
                    java.io.InputStream f = channel.asInputStream();
                    String s = new String(f.readNBytes(2));
                    channel.send(s);
                    s = new String(f.readNBytes(5));
                    channel.send(s);
                    """, """
                    f = channel.makefile(mode='r')
                    s = f.read(2)
                    channel.send(s)
                    s = f.read(5)
                    channel.send(s)
                    """);
            channel.send("xyabcde");
            assertEquals("xy", channel.receive(T));
            assertEquals("abcde", channel.receive(T));
        }

        @EachGateway
        void test_channel_file_read_empty(Gw gw) throws IOException {
            Channel channel = gw.exec("", "pass");
            InputStream f = channel.asInputStream();
            assertEquals(0, f.readNBytes(3).length);
            assertEquals(0, f.readNBytes(5).length);
        }

        /** Java's readLine drops the line end that Python's readline keeps. */
        @EachGateway
        void test_channel_file_readline_remote(Gw gw) throws IOException {
            Channel channel = gw.exec("channel.send(\"123\\n45\");", """
                    channel.send('123\\n45')
                    """);
            channel.waitClose(T);
            BufferedReader f = new BufferedReader(new InputStreamReader(channel.asInputStream(), StandardCharsets.UTF_8));
            assertEquals("123", f.readLine());
            assertEquals("45", f.readLine());
        }

        @Disabled("Python API mechanics: makefile(mode) takes a mode string, which can be wrong; Java has asInputStream()"
                + " and asOutputStream(), so no mode can be")
        @EachGateway
        void test_channel_makefile_incompatmode(Gw gw) {
            // nothing to translate: see the reason
        }
    }
}
