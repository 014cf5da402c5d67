package org.jexecnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jexecnet.testing.NoLeftoverWorkers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** execnet's test_multi.py checklist: groups and multi-channels over real worker JVMs. */
@ExtendWith(NoLeftoverWorkers.class)
class GroupTest {
    static final Duration T = Duration.ofSeconds(30);
    private static final Object END = "END";

    @Test
    void gatewaysAreFoundByIdAndPositionInCreationOrder() {
        try (Group group = new Group()) {
            Gateway three = group.makeGateway("popen//id=3");
            Gateway two = group.makeGateway("popen//id=2");
            Gateway auto = group.makeGateway();
            assertEquals("gw0", auto.id(), "automatic ids start at gw0");
            assertEquals(3, group.size());
            assertSame(three, group.get(0));
            assertSame(two, group.get("2"));
            assertEquals(List.of("3", "2", "gw0"), ids(group));
            assertTrue(group.contains("3") && group.contains(two));
            assertThrows(NoSuchElementException.class, () -> group.get("nope"));
            assertThrows(IllegalArgumentException.class, () -> group.makeGateway("popen//id=2"));
            assertEquals("<Group [3, 2, gw0]>", group.toString());
            two.exit();
            assertFalse(group.contains("2"), "an exited gateway leaves its group");
            assertThrows(NoSuchElementException.class, () -> group.get("2"));
        }
    }

    private static List<String> ids(Group group) {
        List<String> ids = new ArrayList<>();
        group.forEach(g -> ids.add(g.id()));
        return ids;
    }

    @Test
    void terminateEmptiesTheGroupAndEndsEveryWorker() throws Exception {
        Group group = new Group("popen", "popen", "popen");
        List<Long> pids = new ArrayList<>();
        for (Gateway gw : group) {
            pids.add(gw.remoteInfo(T).pid());
        }
        group.terminate(Duration.ofSeconds(5));
        assertEquals(0, group.size());
        assertEquals("<Group []>", group.toString());
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "worker " + pid + " is gone");
        }
    }

    @Test
    void sendEachAndReceiveEach() {
        try (Group group = new Group("popen", "popen")) {
            MultiChannel channels = group.remoteExec("channel.send(channel.receive(Integer.class) * 2);");
            assertEquals(2, channels.size());
            assertTrue(channels.contains(channels.get(1)));
            channels.sendEach(21);
            assertEquals(List.of(42, 42), channels.receiveEach(T));
            channels.waitClose(T);
        }
    }

    @Test
    void receiveEachWithChannelPairsItemsWithTheirChannelsAndNeedsNoTimeout() {
        try (Group group = new Group("popen//id=a", "popen//id=b")) {
            MultiChannel channels = group.remoteExec("channel.send(channel.gateway().id()); channel.send(channel.gateway().id());");
            List<Received> pairs = channels.receiveEachWithChannel();
            assertEquals(List.of(new Received(channels.get(0), "a"), new Received(channels.get(1), "b")), pairs);
            assertEquals(List.of("a", "b"), channels.receiveEach());
            channels.waitClose();
            assertTrue(channels.get(0).isClosed() && channels.get(1).isClosed());
        }
    }

    @Test
    void anEmptySpecStartsTheDefaultGatewayAsExecnetDoes() {
        try (Group group = new Group()) {
            Gateway gw = group.makeGateway("");
            assertEquals("popen", gw.spec().toString());
            assertEquals("popen", gw.spec().type());
            assertEquals(42, (Integer) gw.remoteExec("channel.send(42);").receive(T));
        }
        try (Group group = new Group("")) {
            assertEquals("popen", group.get(0).spec().toString());
        }
    }

    @Test
    void aReceiveQueueCollectsItemsFromAllGatewaysWithTheirChannelsAndEndmarkers() throws Exception {
        try (Group group = new Group("popen//id=a", "popen//id=b", "popen//id=c")) {
            MultiChannel channels = group.remoteExec("channel.send(channel.gateway().id()); channel.send(\"second\");");
            BlockingQueue<Received> queue = channels.makeReceiveQueue(END);
            assertSame(queue, channels.makeReceiveQueue(END), "made once");
            Set<String> firsts = new HashSet<>();
            int ended = 0;
            while (ended < 3) {
                Received received = queue.poll(T.toSeconds(), TimeUnit.SECONDS);
                assertTrue(received != null, "an item within " + T);
                if (received.item() == END) {
                    ended++;
                } else if (!"second".equals(received.item())) {
                    assertEquals(received.channel().gateway().id(), received.item());
                    firsts.add((String) received.item());
                }
            }
            assertEquals(Set.of("a", "b", "c"), firsts);
            assertThrows(IllegalStateException.class, () -> channels.receiveEach(T));
        }
    }

    @Test
    void waitCloseWaitsForAllThenRaisesTheFirstRemoteError() {
        try (Group group = new Group("popen", "popen", "popen")) {
            List<Channel> list = List.of(
                    group.get(0).remoteExec("channel.receive();"),
                    group.get(1).remoteExec("throw new IllegalStateException(\"first\");"),
                    group.get(2).remoteExec("throw new IllegalStateException(\"second\");"));
            MultiChannel channels = new MultiChannel(list);
            assertThrows(ChannelTimeoutException.class, () -> channels.waitClose(Duration.ofMillis(300)));
            list.get(0).send("go");
            RemoteException e = assertThrows(RemoteException.class, () -> channels.waitClose(T));
            assertTrue(e.getMessage().contains("first"), e.getMessage());
        }
    }

    @Test
    void theExecModelCannotChangeOnceGatewaysExist() {
        try (Group group = new Group()) {
            group.setExecModel(ExecModel.THREAD, ExecModel.MAIN_THREAD_ONLY);
            Gateway gw = group.makeGateway();
            assertEquals("main_thread_only", gw.remoteStatus(T).execModel());
            assertThrows(IllegalStateException.class, () -> group.setExecModel(ExecModel.THREAD, ExecModel.THREAD));
        }
    }

    @Test
    void aFailedStartOfOneSpecLeavesNoGatewayRunning() {
        ExecnetException e = assertThrows(ExecnetException.class, () -> new Group("popen", "popen//java=/no/java", "popen"));
        assertTrue(e.getMessage().contains("/no/java does not exist"), e.getMessage());
    }

    @Test
    void theDefaultGroupMakesGateways() {
        Gateway gw = Execnet.makeGateway("popen//id=in-default");
        try {
            assertTrue(Execnet.defaultGroup().contains(gw));
        } finally {
            gw.close();
        }
        assertFalse(Execnet.defaultGroup().contains("in-default"));
    }
}
