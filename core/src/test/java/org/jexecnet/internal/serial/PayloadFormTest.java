package org.jexecnet.internal.serial;

import static org.jexecnet.testing.Values.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jexecnet.DumpException;
import org.jexecnet.LoadException;
import org.jexecnet.Tuple;
import org.junit.jupiter.api.Test;

/** The message-payload form that the protocol layer uses: no version byte, channels through a table. */
class PayloadFormTest {

    /** A gateway's view of channels: objects known by id, created on first sight of an id. */
    private static final class Table implements ChannelRefs {
        final Map<Integer, Object> byId = new HashMap<>();

        @Override
        public int idOf(Object value) {
            return byId.entrySet().stream().filter(e -> e.getValue() == value).mapToInt(Map.Entry::getKey)
                    .findFirst().orElse(-1);
        }

        @Override
        public Object channel(int id) {
            if (id <= 0) {
                throw new IllegalArgumentException("channel id " + id + " is not a channel's");
            }
            return byId.computeIfAbsent(id, k -> new Object());
        }
    }

    @Test
    void channelsTravelAsTheirIdsWithinAGateway() {
        Table table = new Table();
        Object channel = table.channel(1);
        byte[] payload = Dumper.dumpPayload(Tuple.of(channel, 1), table);
        assertEquals("4200000001460000000140000000025" + "1", hex(payload), "execnet's (channel#1, 1)");
        Tuple loaded = (Tuple) Loader.loadPayload(payload, 0, payload.length, StringCoercion.CHANNEL_DEFAULT, table);
        assertSame(channel, loaded.get(0));
    }

    @Test
    void anObjectTheTableDoesNotKnowIsRefused() {
        DumpException e = assertThrows(DumpException.class, () -> Dumper.dumpPayload(List.of(new Object()), new Table()));
        assertEquals("value[0]", e.path());
    }

    @Test
    void aBadChannelIdIsALoadErrorAtItsOffset() {
        byte[] payload = hex("4200000000" + "51");
        LoadException e = assertThrows(LoadException.class,
                () -> Loader.loadPayload(payload, 0, payload.length, StringCoercion.CHANNEL_DEFAULT, new Table()));
        assertTrue(e.getMessage().contains("channel id 0 is not a channel's"), e.getMessage());
    }

    @Test
    void aPayloadInsideALargerBufferIsReadInPlaceWithOffsetsFromItsStart() {
        byte[] frame = hex("0000000000" + "4c51" + "ffff");
        assertEquals(null, Loader.loadPayload(frame, 5, 2, StringCoercion.PLAIN, null));
        byte[] bad = hex("000000" + "4c4c51");
        LoadException e = assertThrows(LoadException.class, () -> Loader.loadPayload(bad, 3, 3, StringCoercion.PLAIN, null));
        assertEquals(2, e.offset(), e.getMessage());
    }

    @Test
    void stringCoercionAppliesToPayloadsAsToChannels() {
        byte[] py2 = hex("4d00000002e96151");
        assertEquals("\u00e9a", Loader.loadPayload(py2, 0, py2.length, StringCoercion.CHANNEL_DEFAULT, null));
        byte[] py3 = hex("4e000000016151");
        assertEquals("61", hex((byte[]) Loader.loadPayload(py3, 0, py3.length, new StringCoercion(false, true), null)));
    }
}
