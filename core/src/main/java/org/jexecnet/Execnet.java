package org.jexecnet;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import org.jexecnet.internal.convert.Converter;
import org.jexecnet.internal.serial.Dumper;
import org.jexecnet.internal.serial.Loader;
import org.jexecnet.internal.serial.ValueReader;

/**
 * The entry point of jexecnet: gateways in the default group, and the serializer.
 *
 * <h2>Gateways</h2>
 * <pre>{@code
 * Gateway gateway = Execnet.makeGateway("popen");
 * Channel channel = gateway.remoteExec("channel.send(channel.receive(Integer.class) + 1);");
 * channel.send(41);
 * int answer = channel.receive(int.class);    // 42
 * }</pre>
 *
 * <h2>The serializer</h2>
 * {@link #dumps(Object)} and {@link #loads(byte[])} read and write execnet's serialized form byte for
 * byte as Python execnet does, so that Java and Python read each other's data:
 *
 * <pre>{@code
 * byte[] bytes = Execnet.dumps(List.of(1, 2, 3));     // what execnet.dumps([1, 2, 3]) gives in execnet 2.x
 * List<?> back = Execnet.loads(bytes, List.class);
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
 *   <tr><td>dict</td><td>a record: a dict of its components by name</td><td>{@code LinkedHashMap};
 *       {@code loads(bytes, Point.class)} makes the record again</td></tr>
 *   <tr><td>str</td><td>an enum: its constant's name</td><td>{@code String}; the enum when asked for</td></tr>
 * </table>
 * Anything else is refused with a {@link DumpException} that names the type and where it sat in the
 * value. Because loaded containers keep the order they were read in, loading bytes and dumping the
 * result again gives the same bytes.
 *
 * <p>The typed forms, {@link #loads(byte[], Class)} and {@link Channel#receive(Class,
 * java.time.Duration)}, return the type asked for, converting numbers where no value is lost and
 * dicts to records: see {@link #convert(Object, Class)}.
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
     *     Object header = Execnet.load(in);
     *     List<?> rows = Execnet.load(in, List.class);
     * }
     * }</pre>
     *
     * @param in the stream; it is not closed
     * @return the value, of the types the class documentation lists
     * @throws LoadException when the bytes are not a valid value, or the stream ends inside one: the
     *     message gives the byte offset from the value's start and the reason. Memory grows with the
     *     bytes that actually arrive, never with a length the data announces.
     * @throws EOFException when the stream is at its end before the value's first byte
     * @throws IOException when reading fails
     */
    public static Object load(InputStream in) throws IOException {
        return Loader.loads(ValueReader.readOne(in), org.jexecnet.internal.serial.StringCoercion.PLAIN);
    }

    /**
     * Reads one value from a stream, as {@link #load(InputStream)} does, and returns it as
     * {@code type}, converted as {@link #convert(Object, Class)} does.
     *
     * @param in the stream; it is not closed
     * @param type the type expected
     * @param <T> the type expected
     * @return the value as that type
     * @throws LoadException when the bytes are not a valid value, or the stream ends inside one
     * @throws ConversionException when the value is not of the type and does not convert to it
     * @throws EOFException when the stream is at its end before the value's first byte
     * @throws IOException when reading fails
     */
    public static <T> T load(InputStream in, Class<T> type) throws IOException {
        Objects.requireNonNull(type, "type");
        return Converter.convert(load(in), type, () -> "cannot load " + Converter.article(type));
    }

    /**
     * Reads a value written by {@code dumps}, here or by Python execnet 1.x or 2.x. Python 2's
     * {@code str} loads as {@code byte[]}, as execnet's {@code loads} does by default.
     *
     * <pre>{@code
     * Object value = Execnet.loads(bytes);
     * }</pre>
     *
     * @param data the bytes; all of them must belong to the one value
     * @return the value, of the types the class documentation lists
     * @throws LoadException when the bytes are not a valid value: the message gives the byte offset
     *     and the reason
     */
    public static Object loads(byte[] data) {
        return loads(data, StringCoercion.NONE);
    }

    /**
     * Reads a value and returns it as {@code type}, converted as {@link #convert(Object, Class)} does.
     *
     * <pre>{@code
     * List<?> numbers = Execnet.loads(bytes, List.class);
     * Point point = Execnet.loads(Execnet.dumps(new Point(3, 4)), Point.class);
     * }</pre>
     *
     * @param data the bytes; all of them must belong to the one value
     * @param type the type expected
     * @param <T> the type expected
     * @return the value as that type
     * @throws LoadException when the bytes are not a valid value
     * @throws ConversionException when the value is not of the type and does not convert to it
     */
    public static <T> T loads(byte[] data, Class<T> type) {
        Objects.requireNonNull(type, "type");
        return Converter.convert(loads(data), type, () -> "cannot load " + Converter.article(type));
    }

    /**
     * Reads a value with one of execnet's string coercions.
     *
     * @param data the bytes; all of them must belong to the one value
     * @param strings what Python's strings load as
     * @return the value
     * @throws LoadException when the bytes are not a valid value
     */
    public static Object loads(byte[] data, StringCoercion strings) {
        return Loader.loads(data, org.jexecnet.internal.serial.StringCoercion.of(strings));
    }

    /**
     * Returns a value as {@code type}: what the typed forms of receiving and loading do, such as
     * {@link Channel#receive(Class, java.time.Duration)}, here for values from elsewhere, such as a
     * channel's callback. A value of the type passes as it is; otherwise only these conversions
     * happen, each without losing anything:
     * <ul>
     *   <li>a number to another numeric type that holds exactly the same number: an {@code Integer} to
     *       {@code Long}, a {@code Long} to {@code Integer} when in range, a {@code BigInteger} to
     *       {@code Long} when in range, an {@code Integer} to {@code Double}, a {@code Double} of 3.0 to
     *       {@code Integer} 3 (but never 2.5, nor 2<sup>53</sup>+1 to a {@code Double}); also to
     *       {@code Short}, {@code Byte}, {@code Float}, {@code BigInteger}, {@code BigDecimal}, and to
     *       primitive classes such as {@code long.class}, which refuse {@code null};</li>
     *   <li>a dict to a record, by component name (a record is sent as such a dict), each component
     *       converted to its declared type, so records nest; a missing or an unknown component is
     *       refused, naming it, and so is a value the record's constructor throws for;</li>
     *   <li>the elements of a list or set, and the keys and values of a dict, to the type arguments of a
     *       record component declared {@code List<T>}, {@code Set<T>}, {@code Map<K, V>} or one of their
     *       supertypes, into a new {@code ArrayList}, {@code LinkedHashSet} or {@code LinkedHashMap};</li>
     *   <li>a string to the enum constant of that name (an enum is sent as its name), and a
     *       one-character string to a {@code char}.</li>
     * </ul>
     * Nothing else converts, not even {@code 1} to {@code true}. Only classes the caller names are
     * made, directly or as the declared types of their components: nothing in the value chooses a
     * class, and Java serialization is never used.
     *
     * <p>jexecnet reaches records reflectively. A record on the class path, or a public record in a
     * package its module exports, needs nothing; for any other record in a named module, that module
     * must open the record's package to jexecnet: {@code opens com.acme.model to org.jexecnet;} in its
     * {@code module-info.java}. The exception says so when it is missing.
     *
     * @param value the value, such as an item a callback was given
     * @param type the type expected
     * @param <T> the type expected
     * @return the value as that type
     * @throws ConversionException when the value is not of the type and does not convert to it: the
     *     message names the type expected, where in the value the problem sits, and what was there
     */
    public static <T> T convert(Object value, Class<T> type) {
        Objects.requireNonNull(type, "type");
        return Converter.convert(value, type, () -> "cannot convert to " + Converter.article(type));
    }
}
