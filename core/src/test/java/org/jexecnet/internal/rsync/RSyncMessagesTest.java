package org.jexecnet.internal.rsync;

import static org.jexecnet.testing.Values.travelled;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jexecnet.Tuple;
import org.junit.jupiter.api.Test;

/** RSync's messages read back as they were written, through the serializer as they travel; others are refused. */
class RSyncMessagesTest {

    @Test
    void aFileRequestTravelsWhole() throws Exception {
        FileRequest request = FileRequest.fromValue(travelled(new FileRequest("a/b", new byte[] {1}, null, 4096, 70_000).toValue()));
        assertEquals("a/b", request.path());
        assertArrayEquals(new byte[] {1}, request.fingerprint());
        assertNull(request.blocks());
        assertEquals(4096, request.blockSize());
        assertEquals(70_000, request.oldSize());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FileRequest.fromValue(Tuple.of("send", 1)));
        assertTrue(e.getMessage().startsWith("not a file request"), e.getMessage());
    }

    @Test
    void everyAnswerTravelsWhole() throws Exception {
        assertInstanceOf(FileAnswer.Same.class, FileAnswer.fromValue(travelled(new FileAnswer.Same().toValue())));
        assertInstanceOf(FileAnswer.Gone.class, FileAnswer.fromValue(travelled(new FileAnswer.Gone().toValue())));
        FileAnswer.Whole whole = (FileAnswer.Whole) FileAnswer.fromValue(travelled(new FileAnswer.Whole(3L << 32, new byte[2]).toValue()));
        assertEquals(3L << 32, whole.size());
        assertEquals(2, whole.first().length);
        assertEquals(new FileAnswer.Delta(512), FileAnswer.fromValue(travelled(new FileAnswer.Delta(512).toValue())));
        assertThrows(IllegalArgumentException.class, () -> FileAnswer.fromValue("maybe"));
        assertArrayEquals(new byte[] {9}, DeltaEnd.ifOne(travelled(new DeltaEnd(new byte[] {9}).toValue())).fingerprint());
        assertNull(DeltaEnd.ifOne(java.util.List.of(1, 2)), "a batch of the delta is no end");
    }

    @Test
    void anAcknowledgementTravelsWholeAndACreditIsNone() throws Exception {
        assertEquals(new Ack("f", 10, 1, true), Ack.ifOne(travelled(new Ack("f", 10, 1, true).toValue())));
        assertNull(Ack.ifOne("c"));
        assertNull(Ack.ifOne(Tuple.of("ack", "f")));
    }
}
