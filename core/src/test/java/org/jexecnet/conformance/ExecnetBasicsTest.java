package org.jexecnet.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jexecnet.Channel;
import org.jexecnet.ChannelTimeoutException;
import org.jexecnet.DataFormatException;
import org.jexecnet.Execnet;
import org.jexecnet.ExecnetException;
import org.jexecnet.Gateway;
import org.jexecnet.Group;
import org.jexecnet.RemoteException;
import org.jexecnet.RemoteInfo;
import org.jexecnet.Tuple;
import org.jexecnet.internal.protocol.Frame;
import org.jexecnet.internal.protocol.FrameReader;
import org.jexecnet.internal.protocol.FrameWriter;
import org.jexecnet.internal.protocol.RealChannel;
import org.jexecnet.internal.transport.PythonPopen;
import org.jexecnet.testing.PythonExecnet;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * execnet's testing/test_basics.py, translated. Its tests of execnet's own internals (the Python
 * source finder, the global-name finder, init_popen_io) have no counterpart and are skipped with the
 * reason; those whose subject Java shares (messages, channel ids, errors, kwargs) are translated.
 */
@ExtendWith(Gateways.class)
class ExecnetBasicsTest {
    static final Duration T = ExecnetChannelTest.T;
    static final String INSPECT = "Python-only: execnet reads a Python function's source with inspect and checks it"
            + " (jexecnet ships a lambda's or method's class instead)";

    static Stream<Object> values() {
        return Stream.of("123", 42, List.of(1, 2, 3), List.of("23", 25));
    }

    @Nested
    class TestSerializeAPI {

        @ParameterizedTest
        @MethodSource("org.jexecnet.conformance.ExecnetBasicsTest#values")
        void test_serializer_api(Object val) {
            byte[] dumped = Execnet.dumps(val);
            Object val2 = Execnet.loads(dumped);
            assertEquals(val, val2);
        }

        @ParameterizedTest
        @MethodSource("org.jexecnet.conformance.ExecnetBasicsTest#values")
        void test_mmap(Object val, @TempDir Path tmp) throws IOException {
            Path p = Files.write(tmp.resolve("data.bin"), Execnet.dumps(val));
            try (FileChannel f = FileChannel.open(p)) {
                MappedByteBuffer m = f.map(FileChannel.MapMode.READ_ONLY, 0, f.size());
                InputStream mapped = new InputStream() {
                    @Override
                    public int read() {
                        return m.hasRemaining() ? m.get() & 0xff : -1;
                    }
                };
                Object val2 = Execnet.load(mapped);
                assertEquals(val, val2);
            }
        }

        @ParameterizedTest
        @MethodSource("org.jexecnet.conformance.ExecnetBasicsTest#values")
        void test_bytesio(Object val) throws IOException {
            ByteArrayOutputStream f = new ByteArrayOutputStream();
            Execnet.dump(f, val);
            ByteArrayInputStream read = new ByteArrayInputStream(f.toByteArray());
            Object val2 = Execnet.load(read);
            assertEquals(val, val2);
        }
    }

    /**
     * Different on purpose: execnet 2.x refuses 1.x's version byte; jexecnet reads both (and writes
     * either), so that it reads what both execnet lines stored. A version neither wrote is refused.
     */
    @Test
    void test_serializer_api_version_error() {
        byte[] dumped = Execnet.dumps(42, 1);
        assertEquals(42, (Integer) Execnet.loads(dumped));
        dumped[0] = 3;
        byte[] unknown = dumped;
        DataFormatException e = assertThrows(DataFormatException.class, () -> Execnet.loads(unknown));
        assertTrue(e.getMessage().contains("unknown dump format version 0x03"), e.getMessage());
    }

    @Test
    void test_errors_on_execnet() throws Exception {
        for (String name : List.of("RemoteException", "ChannelTimeoutException", "DataFormatException")) {
            Class<?> type = Class.forName("org.jexecnet." + name);
            assertTrue(ExecnetException.class.isAssignableFrom(type), name);
        }
    }

    /** The Python function read_write_loop of execnet's test, sent through jexecnet's bootstrap line. */
    private static final String READ_WRITE_LOOP = """
            def read_write_loop():
                import sys
                sys.stdout.write("ok\\n")
                sys.stdout.flush()
                while 1:
                    try:
                        line = sys.stdin.readline()
                        if not line.strip():
                            break
                        sys.stdout.write("received: %s" % line)
                        sys.stdout.flush()
                    except (OSError, EOFError):
                        break
            """;

    /** execnet's anypython: the Python that gets jexecnet's bootstrap line (a JVM worker boots otherwise). */
    @Test
    void test_subprocess_interaction() throws Exception {
        Process compile = new ProcessBuilder(PythonExecnet.interpreter(), "-c",
                "compile(" + PythonPopen.pythonLiteral(PythonPopen.BOOTLINE) + ", 'xyz', 'exec')").start();
        assertTrue(compile.waitFor(T.toSeconds(), TimeUnit.SECONDS) && compile.exitValue() == 0, "the bootstrap line compiles");
        Process popen = new ProcessBuilder(PythonExecnet.interpreter(), "-c", PythonPopen.BOOTLINE).start();
        try {
            OutputStream stdin = popen.getOutputStream();
            BufferedReader stdout = new BufferedReader(new InputStreamReader(popen.getInputStream(), StandardCharsets.UTF_8));
            String source = READ_WRITE_LOOP + "read_write_loop()";
            send(stdin, PythonPopen.pythonLiteral(source) + "\n");
            assertEquals("ok", stdout.readLine());
            send(stdin, "hello\n");
            assertEquals("received: hello", stdout.readLine());
            send(stdin, "world\n");
            assertEquals("received: world", stdout.readLine());
            send(stdin, "\n"); // terminate loop
            assertTrue(popen.waitFor(T.toSeconds(), TimeUnit.SECONDS));
        } finally {
            popen.destroyForcibly();
        }
    }

    private static void send(OutputStream stdin, String line) throws IOException {
        stdin.write(line.getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    /** execnet runs its Message round trip in a child per execution model; jexecnet's frames are the same in every JVM. */
    @Test
    void test_io_message() throws IOException {
        for (int i = Frame.STATUS; i <= Frame.CHANNEL_LAST_MESSAGE; i++) {
            for (Object data : List.of("hello", "hello".getBytes(StandardCharsets.US_ASCII))) {
                byte[] payload = Execnet.dumps(data);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                FrameWriter writer = new FrameWriter(out, "io");
                writer.write(i, i, payload);
                writer.flushIfDirty();
                Frame msg2 = new FrameReader(new ByteArrayInputStream(out.toByteArray())).read();
                assertEquals(i, msg2.channelId());
                assertArrayEquals(payload, msg2.payload());
                assertEquals(i, msg2.code());
            }
        }
    }

    @Disabled("execnet internal: init_popen_io, tested in a child Python; jexecnet's counterpart (the worker's protocol on"
            + " descriptors of its own) is what test_stdouterrin_setnull and test_confusion_from_os_write_* check")
    @Test
    void test_popen_io() {
        // nothing to translate: see the reason
    }

    /** A stream that returns less than asked: the reader loops until a frame is whole. */
    @Test
    void test_popen_io_readloop() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(out, "io");
        writer.write(Frame.CHANNEL_DATA, 1, "Ntest".getBytes(StandardCharsets.US_ASCII));
        writer.flushIfDirty();
        byte[] bytes = out.toByteArray();
        InputStream shortReads = new InputStream() {
            private int at;

            @Override
            public int read() {
                return at < bytes.length ? bytes[at++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (at == bytes.length) {
                    return -1;
                }
                int n = Math.max(1, Math.min(len - 1, bytes.length - at)); // one less than asked, as execnet's newread
                System.arraycopy(bytes, at, b, off, n);
                at += n;
                return n;
            }
        };
        Frame frame = new FrameReader(shortReads).read();
        assertEquals("Ntest", new String(frame.payload(), StandardCharsets.US_ASCII));
    }

    /** execnet's rinfo_source sends a dict that must survive repr and eval; here the facts it carries arrive whole. */
    @EachGateway({Kind.POPEN, Kind.PYTHON})
    void test_rinfo_source(Kind kind, Group makegateway) {
        RemoteInfo info = makegateway.makeGateway(kind.popenSpec()).remoteInfo(T);
        assertFalse(info.executable().isEmpty());
        assertFalse(info.cwd().isEmpty());
        assertFalse(info.runtime().isEmpty());
        assertFalse(info.platform().isEmpty());
        assertTrue(info.pid() > 0);
    }

    /** execnet's geterrortext: the text a remote failure travels as names the exception's class and message. */
    @Test
    void test_geterrortext() {
        class Arg extends Exception {
            private static final long serialVersionUID = 1L;
        }
        assertTrue(RealChannel.stackTrace(new Arg()).contains("Arg"));
        assertTrue(RealChannel.stackTrace(new IllegalArgumentException("17")).contains("17"));
    }

    /**
     * After start-up the worker's descriptor 0 reads nothing and descriptor 1 is not the protocol. execnet
     * sends descriptor 1 to /dev/null; jexecnet sends it to the master's stderr, where output is seen.
     */
    @EachGateway({Kind.POPEN, Kind.PYTHON})
    void test_stdouterrin_setnull(Kind kind, Group makegateway) {
        Gw gw = new Gw(kind, makegateway.makeGateway(kind.popenSpec()), makegateway);
        Object read = gw.exec("""
                new java.io.FileOutputStream(java.io.FileDescriptor.out).write("hello".getBytes());
                channel.send(new java.io.FileInputStream(java.io.FileDescriptor.in).read());
                """, """
                import os
                os.write(1, b"hello")
                channel.send(os.read(0, 1))
                """).receive(T);
        if (kind.python()) {
            assertArrayEquals(new byte[0], (byte[]) read);
        } else {
            assertEquals(-1, read);
        }
        assertEquals(42, (Integer) gw.exec("channel.send(42);", "channel.send(42)").receive(T));
    }

    /** execnet drives WorkerGateway.executetask with a pseudo channel; here a real remote execution fails. */
    @EachGateway({Kind.POPEN, Kind.PYTHON})
    void test_exectask(Kind kind, Group makegateway) {
        Gw gw = new Gw(kind, makegateway.makeGateway(kind.popenSpec()), makegateway);
        Channel ch = gw.exec("throw new IllegalArgumentException();", "raise ValueError()");
        RemoteException e = assertThrows(RemoteException.class, () -> ch.waitClose(T));
        assertTrue(e.remoteTrace().contains(kind.python() ? "ValueError" : "IllegalArgumentException"), e.remoteTrace());
    }

    @Nested
    class TestMessage {

        @Test
        void test_wire_protocol() throws IOException {
            for (int i = Frame.STATUS; i <= Frame.CHANNEL_LAST_MESSAGE; i++) {
                ByteArrayOutputStream one = new ByteArrayOutputStream();
                byte[] data = "23".getBytes(StandardCharsets.US_ASCII);
                FrameWriter writer = new FrameWriter(one, "wire");
                writer.write(i, 42, data);
                writer.flushIfDirty();
                Frame msg = new FrameReader(new ByteArrayInputStream(one.toByteArray())).read();
                assertEquals(i, msg.code());
                assertEquals(42, msg.channelId());
                assertArrayEquals(data, msg.payload());
                assertFalse(msg.toString().isEmpty());
            }
        }
    }

    @Nested
    class TestPureChannel {

        @EachGateway({Kind.POPEN, Kind.PYTHON})
        void test_factory_create(Kind kind, Group makegateway) {
            Gateway fac = makegateway.makeGateway(kind.popenSpec());
            Channel chan1 = fac.newChannel();
            assertEquals(1, chan1.id());
            Channel chan2 = fac.newChannel();
            assertEquals(3, chan2.id());
        }

        /** execnet looks the id up in its factory; here a channel coming back by its id is the same object. */
        @EachGateway({Kind.POPEN, Kind.PYTHON})
        void test_factory_getitem(Kind kind, Group makegateway) {
            Gw gw = new Gw(kind, makegateway.makeGateway(kind.popenSpec()), makegateway);
            Channel echo = gw.exec("for (Object item : channel) channel.send(item);", "for item in channel: channel.send(item)");
            Channel chan1 = gw.newChannel();
            Channel chan2 = gw.newChannel();
            echo.send(Tuple.of(chan1, chan2));
            Tuple back = echo.receive(Tuple.class, T);
            assertSame(chan1, back.get(0));
            assertSame(chan2, back.get(1));
            echo.close();
        }

        @EachGateway({Kind.POPEN, Kind.PYTHON})
        void test_channel_timeouterror(Kind kind, Group makegateway) {
            Channel channel = makegateway.makeGateway(kind.popenSpec()).newChannel();
            assertThrows(ChannelTimeoutException.class, () -> channel.waitClose(Duration.ofMillis(10)));
        }

        @Disabled("Python API mechanics: makefile(mode) takes a mode string, which can be wrong; Java has asInputStream()"
                + " and asOutputStream(), so no mode can be")
        @Test
        void test_channel_makefile_incompatmode() {
            // nothing to translate: see the reason
        }
    }

    @Nested
    class TestSourceOfFunction {

        @Disabled(INSPECT + "; Java lambdas are jexecnet's way to send code, so they are welcome")
        @Test
        void test_lambda_unsupported() {
        }

        @Disabled(INSPECT + "; in Java the compiler checks that the code takes a Channel")
        @Test
        void test_wrong_prototype_fails() {
        }

        @Disabled(INSPECT)
        @Test
        void test_function_without_known_source_fails() {
        }

        /**
         * Python refuses a function that closes over a variable. A Java lambda's captured values travel
         * by value, so they are allowed, unless the serializer cannot send them: then it is refused.
         */
        @Test
        void test_function_with_closure_fails(Group makegateway) {
            Gateway gw = makegateway.makeGateway("popen");
            Map<String, Object> mess = new HashMap<>();
            mess.put("lock", new Object());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> gw.remoteExec(channel -> channel.send(mess)));
            assertTrue(e.getMessage().contains("captures"), e.getMessage());
        }

        @Disabled(INSPECT)
        @Test
        void test_source_of_nested_function() {
        }
    }

    @Nested
    class TestGlobalFinder {
        static final String GLOBALS = "Python-only: execnet walks a Python function's syntax tree for global names it"
                + " would lack remotely (jexecnet loads what a lambda uses from the master on demand)";

        @Disabled(GLOBALS)
        @Test
        void test_local() {
        }

        @Disabled(GLOBALS)
        @Test
        void test_global() {
        }

        @Disabled(GLOBALS)
        @Test
        void test_builtin() {
        }

        @Disabled(GLOBALS)
        @Test
        void test_function_with_global_fails() {
        }

        @Disabled(GLOBALS)
        @Test
        void test_method_call() {
        }
    }

    /** A Python function object cannot be given from Java: the JVM's RemoteFunction is execnet's function with kwargs. */
    @EachGateway(Kind.POPEN)
    void test_remote_exec_function_with_kwargs(Kind kind, Group makegateway) {
        Gateway gw = makegateway.makeGateway(kind.popenSpec());
        Channel ch = gw.remoteExec((channel, kwargs) -> channel.send(kwargs.get("data")), Map.of("data", 1));
        assertEquals(1, (Integer) ch.receive(T));
    }

    /** A module without a run(Channel, Map) takes no kwargs; a source string has no kwargs form at all in Java. */
    @EachGateway(Kind.POPEN)
    void test_remote_exc__no_kwargs(Kind kind, Group makegateway) {
        Gateway gw = makegateway.makeGateway(kind.popenSpec());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> gw.remoteExec(RemoteTestModule.class, Map.of("kwarg", 1)));
        assertTrue(e.getMessage().startsWith("can't pass kwargs to"), e.getMessage());
    }

    /** Python's traceback names the file "<remote exec>"; a Java trace names the class compiled from the remote source. */
    @EachGateway({Kind.POPEN, Kind.PYTHON})
    void test_remote_exec_inspect_stack(Kind kind, Group makegateway) {
        Gw gw = new Gw(kind, makegateway.makeGateway(kind.popenSpec()), makegateway);
        Channel ch = gw.exec("""
                    StringBuilder stack = new StringBuilder();
                    for (StackTraceElement frame : new Throwable().getStackTrace()) {
                        stack.append(frame).append('\\n');
                    }
                    channel.send(stack.toString());
                """, """
                    import inspect
                    inspect.stack()
                    import traceback
                    channel.send('\\n'.join(traceback.format_stack()))
                """);
        Object received = ch.receive(T);
        assertTrue(received instanceof String);
        assertTrue(((String) received).contains(kind.python() ? "File \"<remote exec>\"" : "(RemoteExec_"), (String) received);
        ch.waitClose();
    }
}
