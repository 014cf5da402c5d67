package org.jexecnet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

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
        return items(receive(null));
    }

    /**
     * Receives one item from each channel, in channel order.
     *
     * @param timeout how long all of it may take
     * @return the items
     * @throws ChannelTimeoutException when a channel had no item in time
     * @throws RemoteException when a channel's remote code failed before sending its item
     * @throws ChannelClosedException when a channel closed without sending one
     * @throws IllegalStateException after {@link #makeReceiveQueue()}, which takes the items instead
     */
    public List<Object> receiveEach(Duration timeout) {
        return items(receive(timeout));
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
        return receive(null);
    }

    /**
     * Receives one item from each channel, in channel order, each with its channel: execnet's
     * {@code receive_each(withchannel=True)}.
     *
     * @param timeout how long all of it may take
     * @return a {@code (channel, item)} pair per channel
     * @throws ChannelTimeoutException when a channel had no item in time
     * @throws RemoteException when a channel's remote code failed before sending its item
     * @throws ChannelClosedException when a channel closed without sending one
     * @throws IllegalStateException after {@link #makeReceiveQueue()}, which takes the items instead
     */
    public List<Received> receiveEachWithChannel(Duration timeout) {
        return receive(timeout);
    }

    /** One item from each channel; without a timeout when it is null. */
    private List<Received> receive(Duration timeout) {
        synchronized (this) {
            if (queue != null) {
                throw new IllegalStateException("receiveEach after makeReceiveQueue: the queue receives the items");
            }
        }
        long deadline = timeout == null ? 0 : System.nanoTime() + timeout.toNanos();
        List<Received> received = new ArrayList<>();
        for (Channel channel : channels) {
            Object item = timeout == null ? channel.receive() : channel.receive(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            received.add(new Received(channel, item));
        }
        return received;
    }

    private static List<Object> items(List<Received> received) {
        List<Object> items = new ArrayList<>();
        for (Received r : received) {
            items.add(r.item());
        }
        return items;
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
        waitAll(null);
    }

    /**
     * Waits until every channel is closed, then raises the first remote failure among them.
     *
     * @param timeout how long all of it may take
     * @throws RemoteException the first channel's remote failure, after all closed
     * @throws ChannelTimeoutException when a channel is still open after the timeout
     * @throws ConnectionLostException when a connection is lost, as soon as the wait reaches that
     *     channel, without waiting for the ones after it
     */
    public void waitClose(Duration timeout) {
        waitAll(timeout);
    }

    /** Waits for each channel in turn; without a timeout when it is null. */
    private void waitAll(Duration timeout) {
        long deadline = timeout == null ? 0 : System.nanoTime() + timeout.toNanos();
        RemoteException first = null;
        for (Channel channel : channels) {
            try {
                if (timeout == null) {
                    channel.waitClose();
                } else {
                    channel.waitClose(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
                }
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
