package org.jexecnet;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Iterator;
import java.util.Objects;
import java.util.function.Consumer;
import org.jexecnet.internal.convert.Converter;

/**
 * A two-way conduit between code on two sides of a {@link Gateway}: each side sends values the
 * serializer supports (see {@link Execnet}) and receives what the other sent, in order.
 *
 * <p>The master gets a channel from {@link Gateway#remoteExec(String)}; the remote code has the other
 * end in scope as {@code channel}:
 *
 * <pre>{@code
 * Channel channel = gateway.remoteExec("channel.send(channel.receive(Integer.class) + 1);");
 * channel.send(41);
 * int answer = channel.receive(int.class, Duration.ofSeconds(10));   // 42
 * }</pre>
 *
 * <p>Closing: either side may {@link #close()} its channel, which ends the other side's receiving
 * after the items already sent. A remote execution closes its channel when it returns, or closes it
 * with its exception, which the master's next {@link #receive()} or {@link #waitClose()} raises once
 * as a {@link RemoteException}; later calls raise {@link ChannelClosedException}. When the other
 * process dies, waiting calls raise {@link ConnectionLostException} at once.
 *
 * <p>A channel is safe for use from several threads; items are delivered in the order they were
 * sent.
 */
public interface Channel extends Iterable<Object>, AutoCloseable {

    /**
     * The channel's number, the same on both sides: odd when the master made it, even when a worker did.
     *
     * @return the id
     */
    int id();

    /**
     * The gateway this channel belongs to, on this side.
     *
     * @return the gateway
     */
    Gateway gateway();

    /**
     * Sends a value to the other side. Serialization happens in the calling thread, so an
     * unsupported value fails here, with nothing sent. Between two JVM ends the call waits while the
     * receiver has a full window of this channel's data not yet taken (see
     * {@link #send(Object, Duration)}).
     *
     * @param item a value the serializer supports; channels of the same gateway included
     * @throws DumpException when the value cannot be serialized
     * @throws ChannelClosedException when this channel is closed, or the connection is lost
     */
    void send(Object item);

    /**
     * As {@link #send(Object)}, waiting at most {@code timeout} for the receiver to make room. Between
     * two jexecnet ends a channel holds a bounded window of unconsumed data (4 MiB by default, the spec's
     * {@code window=}): a send waits while the other side has not taken that much; towards Python
     * workers, which have no flow control, it never waits.
     *
     * @param item a value the serializer supports
     * @param timeout how long to wait for room, as for {@link #receive(Duration)}; not null
     * @throws ChannelTimeoutException when the receiver made no room in time; nothing was sent
     * @throws NullPointerException when the timeout is null
     * @throws DumpException when the value cannot be serialized
     * @throws ChannelClosedException when this channel is closed, or the connection is lost
     */
    void send(Object item, Duration timeout);

    /**
     * Waits for the next item, without a time limit.
     *
     * @return the item, of the types {@link Execnet} lists ({@code null} for Python's {@code None});
     *     {@link #receive(Class)} asks for a type
     * @throws RemoteException when the remote code failed (raised once)
     * @throws ChannelClosedException when the channel is closed and all items were received
     * @throws ConnectionLostException when the other process died or the connection broke
     * @throws IllegalStateException when a callback receives this channel's items, or when called
     *     inside a channel's callback, which must not wait for items
     */
    Object receive();

    /**
     * Waits for the next item at most {@code timeout}.
     *
     * <pre>{@code
     * System.out.println(channel.receive(Duration.ofSeconds(10)));
     * }</pre>
     *
     * @param timeout how long to wait: zero does not wait, and a century or more (such as
     *     {@code ChronoUnit.FOREVER.getDuration()}) waits without a limit; not null
     * @return the item, of the types {@link Execnet} lists ({@code null} for Python's {@code None})
     * @throws ChannelTimeoutException when no item arrived in time; the channel stays usable
     * @throws RemoteException when the remote code failed (raised once)
     * @throws ChannelClosedException when the channel is closed and all items were received
     * @throws ConnectionLostException when the other process died or the connection broke
     * @throws IllegalStateException when a callback receives this channel's items, or when called
     *     inside a channel's callback, which must not wait for items
     * @throws NullPointerException when the timeout is null
     */
    Object receive(Duration timeout);

    /**
     * Waits for the next item, without a time limit, and returns it as {@code type}, converted as
     * {@link Execnet#convert(Object, Class)} does: numbers to the numeric type asked for when no value
     * is lost, a dict to a record, a name to an enum constant.
     *
     * @param type the type expected, such as {@code Long.class}, {@code long.class} or a record class
     * @param <T> the type expected
     * @return the item as that type
     * @throws ConversionException when the item is not of the type and does not convert to it: the
     *     message names both; the item is taken from the channel all the same
     * @throws RemoteException when the remote code failed (raised once)
     * @throws ChannelClosedException when the channel is closed and all items were received
     * @throws ConnectionLostException when the other process died or the connection broke
     */
    default <T> T receive(Class<T> type) {
        Objects.requireNonNull(type, "type");
        return Converter.convert(receive(), type, () -> "cannot receive " + Converter.article(type) + " on " + this);
    }

    /**
     * Waits for the next item at most {@code timeout}, and returns it as {@code type}, converted as
     * {@link Execnet#convert(Object, Class)} does.
     *
     * <pre>{@code
     * long total = channel.receive(Long.class, Duration.ofSeconds(10));    // a small long arrives as an Integer
     * Point p = channel.receive(Point.class, Duration.ofSeconds(10));     // a record, sent as a dict
     * }</pre>
     *
     * @param type the type expected
     * @param timeout how long to wait, as for {@link #receive(Duration)}; not null
     * @param <T> the type expected
     * @return the item as that type
     * @throws ConversionException when the item is not of the type and does not convert to it: the
     *     message names both; the item is taken from the channel all the same
     * @throws ChannelTimeoutException when no item arrived in time; the channel stays usable
     * @throws RemoteException when the remote code failed (raised once)
     * @throws ChannelClosedException when the channel is closed and all items were received
     * @throws ConnectionLostException when the other process died or the connection broke
     */
    default <T> T receive(Class<T> type, Duration timeout) {
        Objects.requireNonNull(type, "type");
        return Converter.convert(receive(timeout), type, () -> "cannot receive " + Converter.article(type) + " on " + this);
    }

    /**
     * Hands every item to a callback instead of a {@code receive} caller: first the items already
     * received, then each new one as it arrives. The callback runs on a thread of jexecnet's, one item
     * at a time and in order, off the thread that receives for the gateway: a slow callback holds up
     * this channel only, and while it runs, the next items wait for it (counted against the channel's
     * window). So it must not wait for items itself: {@code receive()} inside a callback fails at once.
     * A callback that throws closes the channel, as in execnet: the other side sees the exception as a
     * {@link RemoteException}, this side's {@link #waitClose()} raises it, and it is logged.
     *
     * @param callback receives each item
     * @throws IllegalStateException when a callback is already set
     */
    void setCallback(Consumer<Object> callback);

    /**
     * As {@link #setCallback(Consumer)}, and when the channel closes, for whatever reason (a normal
     * close, a remote failure, a lost connection), the callback receives {@code endmarker} once, before
     * {@link #waitClose()} returns.
     *
     * @param callback receives each item, then the end marker
     * @param endmarker the value that marks the end; may be null
     * @throws IllegalStateException when a callback is already set
     */
    void setCallback(Consumer<Object> callback, Object endmarker);

    /**
     * Closes the channel: the other side receives what was already sent, then the end. Closing twice
     * does nothing.
     *
     * @throws IllegalStateException when called by the remote code on the channel of its own execution:
     *     that channel closes when the code returns
     */
    @Override
    void close();

    /**
     * Closes the channel with an error: the other side's next {@code receive} or {@code waitClose}
     * raises a {@link RemoteException} with this text.
     *
     * @param error the error text
     */
    void close(String error);

    /**
     * Waits until the other side has closed the channel (items may still be waiting to be received)
     * and a callback's end marker, if it wants one, was delivered.
     *
     * @throws RemoteException when the other side closed it with an error (raised once)
     * @throws ConnectionLostException when the connection was lost
     * @throws ExecnetException when this channel's callback threw, which closed the channel (raised
     *     once; the cause is the callback's exception)
     */
    void waitClose();

    /**
     * Waits at most {@code timeout} until the other side has closed the channel and a callback's end
     * marker, if it wants one, was delivered.
     *
     * @param timeout how long to wait, as for {@link #receive(Duration)}; not null
     * @throws ChannelTimeoutException when it is still open after the timeout
     * @throws NullPointerException when the timeout is null
     * @throws RemoteException when the other side closed it with an error (raised once)
     * @throws ConnectionLostException when the connection was lost
     * @throws ExecnetException when this channel's callback threw, which closed the channel (raised
     *     once; the cause is the callback's exception)
     */
    void waitClose(Duration timeout);

    /**
     * Whether the channel is closed: this side closed it, or the other side did.
     *
     * @return true when closed
     */
    boolean isClosed();

    /**
     * Receives items until the channel closes: a normal close ends the iteration, a remote failure or
     * a lost connection is thrown from {@code hasNext()} (or {@code next()}, which calls it).
     *
     * @return an iterator over the items to come
     */
    @Override
    Iterator<Object> iterator();

    /**
     * What closing a stream of the channel ({@link #asOutputStream}, {@link #asInputStream}) does to the
     * channel: execnet's {@code proxyclose}.
     */
    enum StreamClose {
        /** Closing the stream leaves the channel open: the default. */
        LEAVES_CHANNEL_OPEN,
        /** Closing the stream closes the channel. */
        CLOSES_CHANNEL
    }

    /**
     * An output stream whose every {@code write} sends the bytes as one {@code byte[]} item, as
     * execnet's {@code makefile("w")}. Closing it leaves the channel open.
     *
     * @return the stream
     */
    default OutputStream asOutputStream() {
        return asOutputStream(StreamClose.LEAVES_CHANNEL_OPEN);
    }

    /**
     * An output stream whose every {@code write} sends the bytes as one {@code byte[]} item, as
     * execnet's {@code makefile("w", proxyclose)}.
     *
     * <pre>{@code
     * try (OutputStream out = channel.asOutputStream(Channel.StreamClose.CLOSES_CHANNEL)) {
     *     Files.copy(report, out);
     * }                                                   // the channel is closed too
     * }</pre>
     *
     * @param onClose what closing the stream does to the channel
     * @return the stream
     */
    OutputStream asOutputStream(StreamClose onClose);

    /**
     * An input stream over the received items, which must be {@code byte[]} or {@code String} (read
     * as UTF-8), as execnet's {@code makefile("r")}; it ends when the channel closes. Closing it leaves
     * the channel open.
     *
     * @return the stream
     */
    default InputStream asInputStream() {
        return asInputStream(StreamClose.LEAVES_CHANNEL_OPEN);
    }

    /**
     * An input stream over the received items, which must be {@code byte[]} or {@code String} (read
     * as UTF-8), as execnet's {@code makefile("r", proxyclose)}; it ends when the channel closes.
     *
     * @param onClose what closing the stream does to the channel
     * @return the stream
     */
    InputStream asInputStream(StreamClose onClose);

    /**
     * Sets how strings arriving on this channel load, on this side and the other, as execnet's
     * {@code channel.reconfigure}. A channel starts with its gateway's setting,
     * {@link StringCoercion#PY2STR_AS_PY3STR} unless the gateway was reconfigured.
     *
     * @param strings what Python's strings load as
     */
    void reconfigure(StringCoercion strings);
}
