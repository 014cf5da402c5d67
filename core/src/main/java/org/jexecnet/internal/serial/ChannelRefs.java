package org.jexecnet.internal.serial;

/**
 * The link between serialized channel references ({@code B} + id) and the channel objects of one
 * gateway. Without it, a channel can be neither written nor read: a channel only means something
 * between the two ends of its own gateway.
 */
public interface ChannelRefs {
    /**
     * The id to write for a channel of this gateway.
     *
     * @param value any value the serializer has no other opcode for
     * @return the channel's id, or -1 when {@code value} is not a channel of this gateway
     */
    int idOf(Object value);

    /**
     * The channel object for an id read from the peer, created when it does not exist yet.
     *
     * @param id the id as read
     * @return the channel
     * @throws IllegalArgumentException when the id cannot name a channel; the message says why
     */
    Object channel(int id);
}
