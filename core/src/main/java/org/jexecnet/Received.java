package org.jexecnet;

/**
 * An item from a {@link MultiChannel}'s receive queue, with the channel it came on.
 *
 * @param channel the channel that received the item
 * @param item the item, or the queue's end marker when the channel has closed
 */
public record Received(Channel channel, Object item) {}
