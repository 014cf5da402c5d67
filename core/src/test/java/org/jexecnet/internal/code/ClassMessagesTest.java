package org.jexecnet.internal.code;

import static org.jexecnet.testing.Values.travelled;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.jexecnet.Tuple;
import org.junit.jupiter.api.Test;

/** The class server's answers read back as they were written, through the serializer; other values are refused. */
class ClassMessagesTest {

    @Test
    void everyAnswerTravelsWhole() throws Exception {
        ClassAnswer.Jar jar = (ClassAnswer.Jar) ClassAnswer.fromValue(travelled(new ClassAnswer.Jar("ab12", new byte[] {7}).toValue()));
        assertEquals("ab12", jar.sha256());
        assertArrayEquals(new byte[] {7}, jar.bytes());
        assertNull(((ClassAnswer.Jar) ClassAnswer.fromValue(travelled(new ClassAnswer.Jar("ab12", null).toValue()))).bytes(),
                "a jar sent before travels without its bytes");
        ClassAnswer.Files files = (ClassAnswer.Files) ClassAnswer.fromValue(travelled(
                new ClassAnswer.Files(Map.of("a/B.class", new byte[] {1, 2})).toValue()));
        assertArrayEquals(new byte[] {1, 2}, files.files().get("a/B.class"));
        assertInstanceOf(ClassAnswer.Missing.class, ClassAnswer.fromValue(travelled(new ClassAnswer.Missing().toValue())));
    }

    @Test
    void whatIsNoAnswerOrRequestIsRefusedSayingWhatItWas() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClassAnswer.fromValue(Tuple.of("files", Map.of("a", "not bytes"))));
        assertTrue(e.getMessage().contains("must map paths to bytes"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ClassAnswer.fromValue(Tuple.of("jar")));
        e = assertThrows(IllegalArgumentException.class, () -> ClassRequest.fromValue(Tuple.of("class", "x")));
        assertTrue(e.getMessage().startsWith("not a class request"), e.getMessage());
    }
}
