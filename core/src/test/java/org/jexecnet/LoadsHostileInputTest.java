package org.jexecnet;

import static org.jexecnet.testing.Values.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Corrupt and hostile input: each case fails with a LoadException that says where and why. */
class LoadsHostileInputTest {

    private static LoadException failure(String hexBytes) {
        return assertThrows(LoadException.class, () -> Execnet.loads(hex(hexBytes)));
    }

    private static void assertFailure(String hexBytes, int offset, String reason) {
        LoadException e = failure(hexBytes);
        assertEquals(offset, e.offset(), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void versionBytesOtherThanExecnetsAreRefused() {
        assertFailure("", 0, "empty input");
        assertFailure("034c51", 0, "unknown dump format version 0x03");
        assertFailure("ff4c51", 0, "unknown dump format version 0xff");
    }

    @Test
    void hugeLengthPrefixesAreRefusedBeforeAnyAllocation() {
        assertFailure("014e7fffffff61", 1, "length 2147483647 exceeds the 1 bytes that remain");
        assertFailure("01417fffffff", 1, "length 2147483647 exceeds the 0 bytes that remain");
        assertFailure("014b7fffffff51", 1, "list of 2147483647 items cannot fit");
        assertFailure("01487fffffff", 1, "exceeds");
    }

    @Test
    void negativeSizesAreRefused() {
        assertFailure("014effffffff51", 1, "negative length -1");
        assertFailure("014b8000000051", 1, "list of negative size");
        assertFailure("0140ffffffff51", 1, "tuple of negative size -1");
        assertFailure("014f8000000051", 1, "set of negative size");
    }

    @Test
    void containersThatTakeMoreItemsThanTheStackHoldsAreRefused() {
        // Python silently builds (None,) here; a count larger than the stack is corruption.
        assertFailure("014c400000000551", 2, "tuple of 5 items, but the stack holds only 1");
        assertFailure("014c450000000251", 2, "frozenset of 2 items");
    }

    @Test
    void setitemNeedsAListOrDictWithAFittingKey() {
        assertFailure("015051", 1, "not enough items for setitem");
        assertFailure("014c4c4c5051", 4, "setitem target is None");
        assertFailure("014b00000001460000000146000000015051", 1 + 5 + 5 + 5, "list index 1 out of range for a list of 1");
        assertFailure("014b000000014c4c5051", 8, "needs an int index, not None");
        assertFailure("014a4a4c5051", 4, "unhashable dictionary key: a dict");
    }

    @Test
    void unhashableSetElementsAreRefused() {
        assertFailure("014b000000004f0000000151", 6, "unhashable set element: a list");
        // a tuple holding a list is unhashable too, as in Python
        assertFailure("014b0000000040000000014500000001" + "51", 11, "unhashable frozenset element: a tuple holding");
    }

    @Test
    void stopMustLeaveExactlyOneValueAndEndTheInput() {
        assertFailure("0151", 1, "STOP with 0 values");
        assertFailure("014c4c51", 3, "STOP with 2 values");
        assertFailure("014c5100", 3, "1 byte follows the STOP opcode");
    }

    @Test
    void truncatedInputIsRefusedAtItsEnd() {
        assertFailure("01", 1, "the data ends before the STOP opcode");
        assertFailure("014600", 2, "a 4-byte integer needs 4 bytes, 1 remain");
        assertFailure("01443ff0", 2, "an 8-byte float needs 8 bytes, 2 remain");
    }

    @Test
    void badBigIntegerTextIsRefused() {
        assertFailure("01480000000331323a51", 8, "':' (0x3a), not a decimal digit");
        assertFailure("0148000000012d51", 1, "big integer without digits");
        assertEquals(-123, (Integer) Execnet.loads(hex("0148000000042d31323351")));
    }

    @Test
    void bigIntegersBeyondPythonsDigitLimitAreRefusedWithoutParsing() {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.write(1);
        data.write('H');
        int digits = 100_000;
        data.writeBytes(new byte[] {0, (byte) (digits >> 16), (byte) (digits >> 8), (byte) digits});
        data.writeBytes("9".repeat(digits).getBytes());
        data.write('Q');
        LoadException e = assertThrows(LoadException.class, () -> Execnet.loads(data.toByteArray()));
        assertTrue(e.getMessage().contains("100000 digits exceeds Python's limit of 4300"), e.getMessage());
    }

    @Test
    void invalidUtf8IsRefusedButAGenuineReplacementCharacterLoads() {
        assertFailure("014e00000002c32851", 1, "not valid UTF-8");
        assertFailure("015300000001ff51", 1, "not valid UTF-8");
        assertEquals("\uFFFD", Execnet.loads(Execnet.dumps("\uFFFD")));
    }

    @Test
    void unknownOpcodesAreNamed() {
        assertFailure("015a51", 1, "unknown opcode 'Z' (0x5a)");
        assertFailure("010051", 1, "unknown opcode 0x00");
    }

    @Test
    void channelReferencesNeedAGateway() {
        assertFailure("01420000000151", 1, "channel reference (opcode 'B', id 1) outside a gateway");
    }

    @Test
    void deepNestingIsRefusedNotAStackOverflow() {
        // 100,000 nested one-element tuples: "L" then "@ 00000001" again and again.
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.write(1);
        data.write('L');
        for (int i = 0; i < 100_000; i++) {
            data.writeBytes(hex("4000000001"));
        }
        data.write('Q');
        LoadException e = assertThrows(LoadException.class, () -> Execnet.loads(data.toByteArray()));
        assertTrue(e.getMessage().contains("nest deeper than 1000 levels"), e.getMessage());

        // The same through lists, which grow by setitem: [[[...]]] as "K1 F0" x 2000, "L", "P" x 2000.
        String nested = "01" + "4b000000014600000000".repeat(2000) + "4c" + "50".repeat(2000) + "51";
        assertTrue(failure(nested).getMessage().contains("nest deeper than 1000"));
        List<Object> deep = List.of();
        for (int i = 0; i < 999; i++) {
            deep = List.of(deep);
        }
        assertEquals(hex(Execnet.dumps(deep)), hex(Execnet.dumps(Execnet.loads(Execnet.dumps(deep)))));
    }

    @Test
    void loadedDictsKeepInsertionOrderAndTheirKeysWork() {
        Map<?, ?> map = Execnet.loads(Execnet.dumps(Map.of(Tuple.of(1, 2), "a")), Map.class);
        assertEquals("a", map.get(Tuple.of(1, 2)));
    }
}
