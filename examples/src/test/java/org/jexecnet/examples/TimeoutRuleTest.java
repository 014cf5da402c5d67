package org.jexecnet.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.jexecnet.Channel;
import org.jexecnet.ChannelTimeoutException;
import org.jexecnet.Gateway;
import org.jexecnet.Group;
import org.jexecnet.MultiChannel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/**
 * The one rule for timeouts, everywhere a call waits: null is refused naming the parameter, zero does
 * not wait, and a huge duration means no limit (never an ArithmeticException).
 */
@Timeout(120)
class TimeoutRuleTest {
    private static final Duration T = Duration.ofSeconds(30);
    private static final Duration HUGE = Duration.ofSeconds(Long.MAX_VALUE);
    private static Group group;
    private static Gateway gw;

    @BeforeAll
    static void start() {
        group = new Group("popen//id=timeouts");
        gw = group.get(0);
    }

    @AfterAll
    static void stop() {
        group.close();
    }

    private static void assertRefusesNull(Executable call) {
        NullPointerException e = assertThrows(NullPointerException.class, call);
        assertTrue(e.getMessage().startsWith("timeout is null"), e.getMessage());
    }

    @Test
    void everyWaitRefusesANullTimeoutNamingIt() {
        Channel channel = gw.remoteExec("channel.send(1); channel.receive();");
        assertRefusesNull(() -> channel.receive((Duration) null));
        assertRefusesNull(() -> channel.receive(Integer.class, null));
        assertRefusesNull(() -> channel.waitClose(null));
        assertRefusesNull(() -> channel.send("x", null));
        assertRefusesNull(() -> gw.remoteStatus(null));
        assertRefusesNull(() -> gw.remoteInfo(null));
        MultiChannel multi = new MultiChannel(List.of(channel));
        assertRefusesNull(() -> multi.receiveEach(null));
        assertRefusesNull(() -> multi.waitClose(null));
        try (Group empty = new Group()) {
            assertRefusesNull(() -> empty.terminate(null));
        }
        assertEquals(1, channel.receive(int.class, T), "refusing took nothing from the channel");
        channel.send("done");
        channel.waitClose(T);
    }

    @Test
    void aHugeTimeoutMeansNoLimit() {
        Channel channel = gw.remoteExec("channel.send(channel.receive(Integer.class) + 1);");
        channel.send(41, HUGE);
        assertEquals(42, channel.receive(HUGE));
        channel.waitClose(ChronoUnit.FOREVER.getDuration());
        assertEquals("thread", gw.remoteStatus(HUGE).execModel());
        MultiChannel multi = new MultiChannel(List.of(gw.remoteExec("channel.send(7);")));
        assertEquals(List.of(7L), multi.receiveEach(Long.class, HUGE));
        multi.waitClose(HUGE);
        try (Group other = new Group("popen//id=huge")) {
            other.terminate(HUGE);
            assertEquals(0, other.size());
        }
    }

    @Test
    void zeroDoesNotWait() {
        Channel silent = gw.remoteExec("channel.receive();");
        ChannelTimeoutException e = assertThrows(ChannelTimeoutException.class, () -> silent.receive(Duration.ZERO));
        assertEquals(Duration.ZERO, e.timeout());
        assertThrows(ChannelTimeoutException.class, () -> silent.waitClose(Duration.ofSeconds(-5)));
        silent.send("done");
        silent.waitClose(T);
    }
}
