package org.jexecnet;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.jexecnet.internal.serial.Dumper;
import org.jexecnet.internal.serial.Loader;
import org.jexecnet.internal.serial.StringCoercion;
import org.jexecnet.internal.serial.ValueReader;

/**
 * The entry point of jexecnet: gateways in the default group, and the serializer.
 *
 * <h2>Gateways</h2>
 * <pre>{@code
 * Gateway gateway = Execnet.makeGateway("popen");
 * Channel channel = gateway.remoteExec("channel.send(channel.<Integer>receive() + 1);");
 * channel.send(41);
 * int answer = channel.receive();    // 42
 * }</pre>
 *
 * <h2>The serializer</h2>
 * {@link #dumps(Object)} and {@link #loads(byte[])} read and write execnet's serialized form byte for
 * byte as Python execnet does, so that Java and Python read each other's data:
 *
 * <pre>{@code
 * byte[] bytes = Execnet.dumps(List.of(1, 2, 3));     // what execnet.dumps([1, 2, 3]) gives in execnet 2.x
 * List<Integer> back = Execnet.loads(bytes);
 * }</pre>
 *
 * <p>Java types map to Python's as follows; {@code loads} gives the types of the right column.
 * <table>
 *   <caption>Java and Python types</caption>
 *   <tr><th>Python</th><th>dumps accepts</th><th>loads gives</th></tr>
 *   <tr><td>None</td><td>{@code null}</td><td>{@code null}</td></tr>
 *   <tr><td>bool</td><td>{@code Boolean}</td><td>{@code Boolean}</td></tr>
 *   <tr><td>int</td><td>{@code Integer}, {@code Long}, {@code Short}, {@code Byte}, {@code BigInteger}</td>
 *       <td>the narrowest of {@code Integer}, {@code Long}, {@code BigInteger}</td></tr>
 *   <tr><td>float</td><td>{@code Double}, {@code Float}</td><td>{@code Double}</td></tr>
 *   <tr><td>complex</td><td>{@link Complex}</td><td>{@link Complex}</td></tr>
 *   <tr><td>bytes</td><td>{@code byte[]}</td><td>{@code byte[]}</td></tr>
 *   <tr><td>str</td><td>{@code String}</td><td>{@code String}</td></tr>
 *   <tr><td>list</td><td>any {@code List} but a {@link Tuple}</td><td>{@code ArrayList}</td></tr>
 *   <tr><td>tuple</td><td>{@link Tuple}</td><td>{@link Tuple}</td></tr>
 *   <tr><td>dict</td><td>any {@code Map}</td><td>{@code LinkedHashMap} (order as read)</td></tr>
 *   <tr><td>set</td><td>any {@code Set} but a {@link FrozenSet}</td><td>{@code LinkedHashSet} (order as read)</td></tr>
 *   <tr><td>frozenset</td><td>{@link FrozenSet}</td><td>{@link FrozenSet} (order as read)</td></tr>
 * </table>
 * Anything else is refused with a {@link DumpException} that names the type and where it sat in the
 * value. Because loaded containers keep the order they were read in, loading bytes and dumping the
 * result again gives the same bytes.
 */
public final class Execnet {
    private Execnet() {}

    private static volatile Group defaultGroup;

    /**
     * The group that {@link #makeGateway(String)} adds to; it is terminated when the JVM exits.
     *
     * @return the default group
     */
    public static Group defaultGroup() {
        Group group = defaultGroup;
        if (group == null) {
            synchronized (Execnet.class) {
                group = defaultGroup;
                if (group == null) {
                    group = new Group();
                    defaultGroup = group;
                }
            }
        }
        return group;
    }

    /**
     * Starts a local worker JVM in the default group: {@code makeGateway("popen")}.
     *
     * @return the gateway
     * @throws ExecnetException when the worker cannot start
     */
    public static Gateway makeGateway() {
        return defaultGroup().makeGateway();
    }

    /**
     * Starts a gateway in the default group.
     *
     * <pre>{@code
     * Gateway gateway = Execnet.makeGateway("popen//id=w1//jvmargs=-Xmx256m");
     * }</pre>
     *
     * @param spec the gateway spec (see {@link XSpec}), or an empty string for {@code "popen"}
     * @return the gateway
     * @throws IllegalArgumentException when the spec is malformed
     * @throws ExecnetException when the worker cannot start: the message says why
     */
    public static Gateway makeGateway(String spec) {
        return defaultGroup().makeGateway(spec);
    }

    /**
     * Sets the default group's execution models, as execnet's {@code set_execmodel}.
     *
     * @param local this side's model
     * @param remote the workers' default model
     * @throws IllegalStateException once the default group has gateways
     */
    public static void setExecModel(ExecModel local, ExecModel remote) {
        defaultGroup().setExecModel(local, remote);
    }

    /**
     * Serializes a value in execnet 2.x's public form (version byte {@code 0x02}).
     *
     * @param value the value; see the class documentation for the types it may hold
     * @return the bytes
     * @throws DumpException when the value holds a type execnet cannot represent, a set element or
     *     dictionary key Python cannot hash, a string that is not valid Unicode, an integer of more than
     *     4300 digits, or containers nested more than 1000 deep
     */
    public static byte[] dumps(Object value) {
        return Dumper.dumps(value, 2);
    }

    /**
     * Serializes a value in the public form of a given execnet version. execnet 1.x reads only its
     * version byte {@code 0x01}, and 2.x only {@code 0x02}; the rest of the bytes is the same.
     *
     * @param value the value
     * @param formatVersion {@code 1} for execnet 1.x, {@code 2} for execnet 2.x
     * @return the bytes
     * @throws DumpException when the value cannot be serialized, as for {@link #dumps(Object)}
     * @throws IllegalArgumentException when the version is neither 1 nor 2
     */
    public static byte[] dumps(Object value, int formatVersion) {
        return Dumper.dumps(value, formatVersion);
    }

    /**
     * Writes a value to a stream in execnet 2.x's public form, as execnet's {@code dump(file, obj)}:
     * the bytes of {@link #dumps(Object)}. Several values may follow each other in one stream;
     * {@link #load(InputStream)} reads them back one at a time.
     *
     * @param out the stream; it is neither flushed nor closed
     * @param value the value; see the class documentation for the types it may hold
     * @throws DumpException when the value cannot be serialized, as for {@link #dumps(Object)}; nothing
     *     is written then
     * @throws IOException when writing fails
     */
    public static void dump(OutputStream out, Object value) throws IOException {
        out.write(dumps(value));
    }

    /**
     * Reads one value from a stream, as execnet's {@code load(file)}: exactly the bytes of that value,
     * so the stream is left just after it, for whatever follows. The value is found by walking its
     * opcodes, never by reading ahead; so this works on any stream, a socket or a pipe included.
     * Python 2's {@code str} loads as {@code byte[]}, as for {@link #loads(byte[])}.
     *
     * <pre>{@code
     * try (InputStream in = Files.newInputStream(path)) {
     *     Map<String, Object> header = Execnet.load(in);
     *     List<Object> rows = Execnet.load(in);
     * }
     * }</pre>
     *
     * @param in the stream; it is not closed
     * @param <T> the type the caller expects
     * @return the value
     * @throws LoadException when the bytes are not a valid value, or the stream ends inside one: the
     *     message gives the byte offset from the value's start and the reason. Memory grows with the
     *     bytes that actually arrive, never with a length the data announces.
     * @throws EOFException when the stream is at its end before the value's first byte
     * @throws IOException when reading fails
     */
    @SuppressWarnings("unchecked")
    public static <T> T load(InputStream in) throws IOException {
        return (T) Loader.loads(ValueReader.readOne(in), StringCoercion.PLAIN);
    }

    /**
     * Reads a value written by {@code dumps}, here or by Python execnet 1.x or 2.x. Python 2's
     * {@code str} loads as {@code byte[]}, as execnet's {@code loads} does by default.
     *
     * @param data the bytes; all of them must belong to the one value
     * @param <T> the type the caller expects; a wrong expectation fails with a
     *     {@code ClassCastException} where the value is used
     * @return the value
     * @throws LoadException when the bytes are not a valid value: the message gives the byte offset
     *     and the reason
     */
    public static <T> T loads(byte[] data) {
        return loads(data, false, false);
    }

    /**
     * Reads a value with execnet's string coercion options.
     *
     * @param data the bytes; all of them must belong to the one value
     * @param py2strAsPy3str load Python 2's {@code str} as {@code String} (Latin-1) instead of {@code byte[]}
     * @param py3strAsPy2str load Python 3's {@code str} as {@code byte[]} (its UTF-8) instead of {@code String}
     * @param <T> the type the caller expects
     * @return the value
     * @throws LoadException when the bytes are not a valid value
     */
    @SuppressWarnings("unchecked")
    public static <T> T loads(byte[] data, boolean py2strAsPy3str, boolean py3strAsPy2str) {
        return (T) Loader.loads(data, new StringCoercion(py2strAsPy3str, py3strAsPy2str));
    }
}
