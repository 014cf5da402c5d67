package org.jexecnet;

import java.util.Objects;
import org.jexecnet.internal.convert.Converter;

/**
 * An item from a {@link MultiChannel}'s receive queue, with the channel it came on.
 *
 * <pre>{@code
 * Received r = queue.take();
 * Result result = r.item(Result.class);    // a record, sent as a dict
 * }</pre>
 *
 * @param channel the channel that received the item
 * @param item the item, or the queue's end marker when the channel has closed
 */
public record Received(Channel channel, Object item) {
    /**
     * The item as {@code type}, converted as {@link Execnet#convert(Object, Class)} does.
     *
     * @param type the type expected
     * @param <T> the type expected
     * @return the item as that type
     * @throws ConversionException when the item is not of the type and does not convert to it
     */
    public <T> T item(Class<T> type) {
        Objects.requireNonNull(type, "type");
        return Converter.convert(item, type, () -> "cannot take " + Converter.article(type) + " from the item " + channel + " received");
    }
}
