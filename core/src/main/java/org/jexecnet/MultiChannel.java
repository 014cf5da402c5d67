package org.jexecnet;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.jexecnet.internal.protocol.Timeouts;

/**
 * Several channels used as one, as execnet's {@code MultiChannel}: usually the channels of one
 * {@link Group#remoteExec(String)}, one per gateway.
 *
 * <pre>{@code
 * MultiChannel channels = group.remoteExec("channel.send(channel.gateway().id());");
 * BlockingQueue<Received> queue = channels.makeReceiveQueue(END);
 * for (int open = channels.size(); open > 0; ) {
 *     Received r = queue.poll(10, TimeUnit.SECONDS);
 *     if (r.item() == END) open--; else System.out.println(r.channel().gateway().id() + ": " + r.item());
 * }
 * }</pre>
 */
public final class MultiChannel implements Iterable<Channel> {
    /** The timeout of the forms without one: longer than a century is "no limit" by the timeout rule. */
    private static final Duration NO_LIMIT = ChronoUnit.FOREVER.getDuration();

    private final List<Channel> channels;
    private BlockingQueue<Received> queue;

    /**
     * Groups channels.
     *
     * @param channels the channels, in the order {@code receiveEach} answers
     */
    public MultiChannel(List<? extends Channel> channels) {
        this.channels = List.copyOf(channels);
    }

    /**
     * The number of channels.
     *
     * @return the size
     */
    public int size() {
        return channels.size();
    }

    /**
     * A channel by position.
     *
     * @param index from 0
     * @return the channel
     */
    public Channel get(int index) {
        return channels.get(index);
    }

    /**
     * Whether a channel is one of these.
     *
     * @param channel the channel
     * @return true when it is
     */
    public boolean contains(Channel channel) {
        return channels.contains(channel);
    }

    @Override
    public Iterator<Channel> iterator() {
        return channels.iterator();
    }

    /**
     * Sends the same item on every channel.
     *
     * @param item the item
     */
    public void sendEach(Object item) {
        for (Channel channel : channels) {
            channel.send(item);
        }
    }

    /**
     * Receives one item from each channel, in channel order, waiting as long as it takes: execnet's
     * {@code receive_each()}.
     *
     * @return the items
     * @throws RemoteException when a channel's remote code failed before sending its item
     * @throws ChannelClosedException when a channel closed without sending one
     * @throws IllegalStateException after {@link #makeReceiveQueue()}, which takes the items instead
     */
    public List<Object> receiveEach() {
        return receiveEach(Object.class, NO_LIMIT);
    }

    /**
     * Receives one item from each channel, in channel order.
     *
     * @param timeout how long all of it may take, as for {@link Channel#receive(Duration)}; not null
     * @return the items
     * @throws ChannelTimeoutException when a channel had no item in time
     * @throws RemoteException when a channel's remote code failed before sending its item
     * @throws ChannelClosedException when a channel closed without sending one
     * @throws IllegalStateException after {@link #makeReceiveQueue()}, which takes the items instead
     * @throws NullPointerException when the timeout is null
     */
    public List<Object> receiveEach(Duration timeout) {
        return receiveEach(Object.class, timeout);
    }

    /**
     * Receives one item from each channel, in channel order, each as {@code type}, converted as
     * {@link Execnet#convert(Object, Class)} does.
     *
     * <pre>{@code
     * List<Integer> versions = channels.receiveEach(Integer.class, Duration.ofSeconds(10));
     * }</pre>
     *
     * @param type the type expected of every item
     * @param timeout how long all of it may take, as for {@link Channel#receive(Duration)}; not null
     * @param <T> the type expected
     * @return the items
     * @throws ConversionException when an item is not of the type and does not convert to it
     * @throws ChannelTimeoutException when a channel had no item in time
     * @throws RemoteException when a channel's remote code failed before sending its item
     * @throws ChannelClosedException when a channel closed without sending one
     * @throws IllegalStateException after {@link #makeReceiveQueue()}, which takes the items instead
     * @throws NullPointerException when the timeout is null
     */
    public <T> List<T> receiveEach(Class<T> type, Duration timeout) {
        Objects.requireNonNull(type, "type");
        List<T> items = new ArrayList<>();
        for (Received received : receiveEachWithChannel(timeout)) {
            items.add(received.item(type));
        }
        return items;
    }

    /**
     * Receives one item from each channel, in channel order, each with its channel, waiting as long
     * as it takes: execnet's {@code receive_each(withchannel=True)}.
     *
     * @return a {@code (channel, item)} pair per channel
     * @throws RemoteException when a channel's remote code failed before sending its item
     * @throws ChannelClosedException when a channel closed without sending one
     * @throws IllegalStateException after {@link #makeReceiveQueue()}, which takes the items instead
     */
    public List<Received> receiveEachWithChannel() {
        return receiveEachWithChannel(NO_LIMIT);
    }

    /**
     * Receives one item from each channel, in channel order, each with its channel: execnet's
     * {@code receive_each(withchannel=True)}.
     *
     * @param timeout how long all of it may take, as for {@link Channel#receive(Duration)}; not null
     * @return a {@code (channel, item)} pair per channel
     * @throws ChannelTimeoutException when a channel had no item in time
     * @throws RemoteException when a channel's remote code failed before sending its item
     * @throws ChannelClosedException when a channel closed without sending one
     * @throws IllegalStateException after {@link #makeReceiveQueue()}, which takes the items instead
     * @throws NullPointerException when the timeout is null
     */
    public List<Received> receiveEachWithChannel(Duration timeout) {
        long deadline = System.nanoTime() + Timeouts.nanos(timeout);
        synchronized (this) {
            if (queue != null) {
                throw new IllegalStateException("receiveEach after makeReceiveQueue: the queue receives the items");
            }
        }
        List<Received> received = new ArrayList<>();
        for (Channel channel : channels) {
            received.add(new Received(channel, channel.receive(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))));
        }
        return received;
    }

    /**
     * One queue for the items of all channels, each with its channel. Made once; later calls return it.
     *
     * @return the queue
     */
    public BlockingQueue<Received> makeReceiveQueue() {
        return makeQueue(null, false);
    }

    /**
     * As {@link #makeReceiveQueue()}, and when a channel closes, its entry {@code (channel, endmarker)}
     * follows its last item.
     *
     * @param endmarker the item that marks a channel's end; may be null
     * @return the queue
     */
    public BlockingQueue<Received> makeReceiveQueue(Object endmarker) {
        return makeQueue(endmarker, true);
    }

    private synchronized BlockingQueue<Received> makeQueue(Object endmarker, boolean withEnd) {
        if (queue == null) {
            BlockingQueue<Received> made = new LinkedBlockingQueue<>();
            for (Channel channel : channels) {
                if (withEnd) {
                    channel.setCallback(item -> made.add(new Received(channel, item)), endmarker);
                } else {
                    channel.setCallback(item -> made.add(new Received(channel, item)));
                }
            }
            queue = made;
        }
        return queue;
    }

    /**
     * Waits until every channel is closed, as long as it takes, then raises the first remote failure
     * among them: execnet's {@code waitclose()}.
     *
     * @throws RemoteException the first channel's remote failure, after all closed
     * @throws ConnectionLostException when a connection is lost, as soon as the wait reaches that
     *     channel, without waiting for the ones after it
     */
    public void waitClose() {
        waitClose(NO_LIMIT);
    }

    /**
     * Waits until every channel is closed, then raises the first remote failure among them.
     *
     * @param timeout how long all of it may take, as for {@link Channel#receive(Duration)}; not null
     * @throws RemoteException the first channel's remote failure, after all closed
     * @throws ChannelTimeoutException when a channel is still open after the timeout
     * @throws ConnectionLostException when a connection is lost, as soon as the wait reaches that
     *     channel, without waiting for the ones after it
     * @throws NullPointerException when the timeout is null
     */
    public void waitClose(Duration timeout) {
        long deadline = System.nanoTime() + Timeouts.nanos(timeout);
        RemoteException first = null;
        for (Channel channel : channels) {
            try {
                channel.waitClose(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            } catch (RemoteException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
