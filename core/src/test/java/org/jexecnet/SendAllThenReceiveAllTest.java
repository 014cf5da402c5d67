package org.jexecnet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.time.Duration;
import org.jexecnet.testing.NoLeftoverWorkers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Finding 2 of issue 15: execnet's ordinary pattern, "send N items, then receive N echoes", deadlocked
 * once about 2 MiB were in flight under the default window. It completes with default settings up to
 * 64 MiB in flight on one channel; memory for a channel nobody reads stays bounded (FlowControlTest).
 */
@ExtendWith(NoLeftoverWorkers.class)
class SendAllThenReceiveAllTest {
    static final Duration T = Duration.ofSeconds(60);

    private static void echo(Channel channel) {
        for (Object item : channel) {
            channel.send(item);
        }
    }

    @Test
    void sixtyFourMebibytesSentBeforeAnyEchoIsReadAllComeBack() {
        int size = 1024;
        int count = 64 * 1024; // 64 MiB
        try (Group group = new Group("popen")) {
            Channel channel = group.get(0).remoteExec(SendAllThenReceiveAllTest::echo);
            for (int i = 0; i < count; i++) {
                byte[] item = new byte[size];
                ByteBuffer.wrap(item).putInt(i);
                channel.send(item, T); // before: timed out here, the worker blocked sending echoes nobody read
            }
            for (int i = 0; i < count; i++) {
                byte[] back = channel.receive(byte[].class, T);
                assertEquals(i, ByteBuffer.wrap(back).getInt(), "in order");
            }
            channel.close();
        }
    }

    @Test
    void smallItemsAsTheFindingSentThemComeBackToo() {
        int count = 300_000; // 100-byte strings: 30 MB of payload in flight
        String item = "x".repeat(92);
        try (Group group = new Group("popen")) {
            Channel channel = group.get(0).remoteExec(SendAllThenReceiveAllTest::echo);
            for (int i = 0; i < count; i++) {
                channel.send(item + String.format("%08d", i), T);
            }
            for (int i = 0; i < count; i++) {
                assertEquals(item + String.format("%08d", i), channel.receive(String.class, T));
            }
            channel.close();
        }
    }
}
