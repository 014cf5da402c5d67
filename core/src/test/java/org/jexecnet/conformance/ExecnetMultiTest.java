package org.jexecnet.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jexecnet.Channel;
import org.jexecnet.ExecModel;
import org.jexecnet.Execnet;
import org.jexecnet.Gateway;
import org.jexecnet.Group;
import org.jexecnet.MultiChannel;
import org.jexecnet.Received;
import org.jexecnet.XSpec;
import org.jexecnet.testing.Processes;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * execnet's testing/test_multi.py, translated. Where execnet builds groups of {@code popen} gateways,
 * the tests run on both worker languages; where it uses stand-in objects ({@code pseudochannel},
 * {@code PseudoGW}), real channels and gateways stand in.
 */
@ExtendWith(Gateways.class)
class ExecnetMultiTest {
    static final Duration T = ExecnetChannelTest.T;

    @Nested
    class TestMultiChannelAndGateway {

        /** execnet builds Channel(gw, i) for ids 0, 1, 2; here the gateway makes three channels. */
        @EachGateway
        void test_multichannel_container_basics(Gw gw) {
            List<Channel> made = List.of(gw.newChannel(), gw.newChannel(), gw.newChannel());
            MultiChannel mch = new MultiChannel(made);
            assertEquals(3, mch.size());
            List<Channel> channels = new ArrayList<>();
            mch.forEach(channels::add);
            assertEquals(3, channels.size());
            // ordering
            for (int i = 0; i < 3; i++) {
                assertEquals(made.get(i).id(), channels.get(i).id());
                assertSame(channels.get(i), mch.get(i));
            }
            assertTrue(mch.contains(channels.get(0)));
            assertTrue(mch.contains(channels.get(1)));
            assertTrue(mch.contains(channels.get(2)));
            made.forEach(Channel::close);
        }

        /** execnet's pseudochannels answer 12 to every receive; here two remote executions send 12 twice. */
        @EachGateway({Kind.POPEN, Kind.PYTHON})
        void test_multichannel_receive_each(Gw gw) {
            Channel pc1 = gw.exec("channel.send(12); channel.send(12);", "channel.send(12); channel.send(12)");
            Channel pc2 = gw.exec("channel.send(12); channel.send(12);", "channel.send(12); channel.send(12)");
            MultiChannel multichannel = new MultiChannel(List.of(pc1, pc2));
            List<Received> l = multichannel.receiveEachWithChannel();
            assertEquals(2, l.size());
            assertEquals(List.of(new Received(pc1, 12), new Received(pc2, 12)), l);
            List<Object> l2 = multichannel.receiveEach();
            assertEquals(List.of(12, 12), l2);
        }

        @EachGateway({Kind.POPEN, Kind.PYTHON})
        void test_multichannel_send_each(Gw gw) {
            try (Group gm = new Group(gw.kind().popenSpec(), gw.kind().popenSpec())) {
                MultiChannel mc = gm.remoteExec(gw.python() ? """
                        import os
                        channel.send(channel.receive() + 1)
                        """ : "channel.send(channel.receive(Integer.class) + 1);");
                mc.sendEach(41);
                List<Object> l = mc.receiveEach();
                assertEquals(List.of(42, 42), l);
            }
        }

        /** execnet refuses eventlet once a gateway exists; jexecnet refuses any change then. */
        @Test
        void test_Group_execmodel_setting() {
            try (Group gm = new Group()) {
                gm.setExecModel(ExecModel.THREAD, ExecModel.THREAD);
                gm.makeGateway();
                assertThrows(IllegalStateException.class, () -> gm.setExecModel(ExecModel.VIRTUAL, ExecModel.VIRTUAL));
                assertEquals("thread", gm.get(0).remoteStatus(T).execModel());
            }
        }

        @EachGateway({Kind.POPEN, Kind.PYTHON})
        void test_multichannel_receive_queue_for_two_subprocesses(Gw gw) throws InterruptedException {
            try (Group gm = new Group(gw.kind().popenSpec(), gw.kind().popenSpec())) {
                MultiChannel mc = gm.remoteExec(gw.python() ? """
                        import os
                        channel.send(os.getpid())
                        """ : "channel.send(ProcessHandle.current().pid());");
                BlockingQueue<Received> queue = mc.makeReceiveQueue();
                Received first = queue.poll(T.toSeconds(), TimeUnit.SECONDS);
                Received second = queue.poll(T.toSeconds(), TimeUnit.SECONDS);
                assertNotEquals(first.channel(), second.channel());
                assertNotEquals(first.channel().gateway(), second.channel().gateway());
                assertNotEquals(first.item(), second.item());
                mc.waitClose();
            }
        }

        /** execnet's pseudochannels count the waitclose calls; here two real channels must both be closed after it. */
        @EachGateway({Kind.POPEN, Kind.PYTHON})
        void test_multichannel_waitclose(Gw gw) {
            MultiChannel multichannel = new MultiChannel(List.of(gw.exec("", "pass"), gw.exec("", "pass")));
            multichannel.waitClose();
            assertTrue(multichannel.get(0).isClosed() && multichannel.get(1).isClosed());
        }
    }

    @Nested
    class TestGroup {

        /**
         * execnet checks that a Group registers its atexit cleanup and that a second cleanup does nothing,
         * with a pseudo gateway. jexecnet's counterpart of atexit is a shutdown hook, which
         * test_terminate_implicit_does_trykill (ExecnetTerminationTest) checks; here a real gateway is
         * ended once, and a second terminate does nothing.
         */
        @Test
        void test_basic_group() {
            Group group = new Group();
            Gateway gw = group.makeGateway("popen//id=9999");
            long pid = gw.remoteInfo(T).pid();
            group.terminate(T);
            assertEquals(0, group.size());
            Processes.awaitExited(pid, T, "the gateway's worker");
            group.terminate(T);
            assertEquals(0, group.size());
        }

        /** jexecnet's default spec is fixed ("popen"); an unknown type is refused as execnet refuses it. */
        @Test
        void test_group_default_spec() {
            try (Group group = new Group()) {
                assertThrows(IllegalArgumentException.class, () -> group.makeGateway("not-existing-type"));
                assertEquals("popen", group.makeGateway().spec().type());
            }
        }

        @EachGateway({Kind.POPEN, Kind.PYTHON})
        void test_group_PopenGateway(Gw kind) {
            Group group = new Group();
            Gateway gw = group.makeGateway(kind.kind().popenSpec());
            List<Gateway> list = new ArrayList<>();
            group.forEach(list::add);
            assertEquals(List.of(gw), list);
            assertSame(gw, group.get(0));
            assertEquals(1, group.size());
            group.terminate(T); // execnet's _cleanup_atexit
            assertEquals(0, group.size());
        }

        @Test
        void test_group_ordering_and_termination() {
            Group group = new Group();
            group.makeGateway("popen//id=3");
            group.makeGateway("popen//id=2");
            group.makeGateway("popen//id=5");
            List<String> idlist = new ArrayList<>();
            group.forEach(gw -> idlist.add(gw.id()));
            assertEquals(List.of("3", "2", "5"), idlist);
            group.terminate(T);
            assertEquals(0, group.size());
            assertEquals("<Group []>", group.toString());
        }

        /** execnet's allocate_id is internal; the ids it gives are what makeGateway gives. */
        @Test
        void test_group_id_allocation() {
            try (Group group = new Group()) {
                List<XSpec> specs = List.of(XSpec.parse("popen"), XSpec.parse("popen//id=hello"));
                Gateway gw = group.makeGateway(specs.get(1));
                assertEquals("hello", gw.id());
                gw = group.makeGateway(specs.get(0));
                assertEquals("gw0", gw.id());
            }
        }

        /** Group has no way to delete or replace a member (execnet's del group[id] and group[id] = x fail). */
        @Test
        void test_gateway_and_id() {
            try (Group group = new Group()) {
                Gateway gw = group.makeGateway("popen//id=hello");
                assertSame(gw, group.get("hello"));
                assertTrue(group.contains("hello"));
                assertTrue(group.contains(gw));
                assertEquals(1, group.size());
                gw.exit();
                assertFalse(group.contains("hello"));
                assertThrows(NoSuchElementException.class, () -> group.get("hello"));
            }
        }

        @Test
        void test_default_group() {
            List<Gateway> oldlist = new ArrayList<>();
            Execnet.defaultGroup().forEach(oldlist::add);
            Gateway gw = Execnet.makeGateway("popen");
            try {
                List<Gateway> newlist = new ArrayList<>();
                Execnet.defaultGroup().forEach(newlist::add);
                assertEquals(oldlist.size() + 1, newlist.size());
                assertTrue(newlist.contains(gw));
                assertFalse(oldlist.contains(gw));
            } finally {
                gw.close();
            }
        }

        /** execnet's fun(channel, arg) is a RemoteFunction; Python functions cannot be passed from Java. */
        @Test
        void test_remote_exec_args() {
            try (Group group = new Group()) {
                group.makeGateway("popen");
                MultiChannel mch = group.remoteExec((channel, kwargs) -> channel.send(kwargs.get("arg")), Map.of("arg", 1));
                assertEquals(List.of(1), mch.receiveEach());
            }
        }

        @Test
        void test_terminate_with_proxying() {
            Group group = new Group();
            long master = group.makeGateway("popen//id=master").remoteInfo(T).pid();
            long worker = group.makeGateway("popen//via=master//id=worker").remoteInfo(T).pid();
            group.terminate(Duration.ofSeconds(1));
            assertEquals(0, group.size());
            Processes.awaitExited(worker, T, "the proxied worker");
            Processes.awaitExited(master, T, "the via gateway's worker");
        }
    }

    /**
     * execnet's safe_terminate with ten term functions that take too long calls the ten kill functions
     * (xfail there: active_count() is broken). Here: ten workers stopped with SIGSTOP cannot exit when
     * asked, so terminate kills all ten within its timeout.
     */
    @Test
    void test_safe_terminate() throws Exception {
        Group group = new Group(Collections.nCopies(10, Kind.PYTHON.popenSpec()));
        List<Long> pids = new ArrayList<>();
        for (Gateway gw : group) {
            pids.add(gw.remoteInfo(T).pid());
        }
        for (long pid : pids) {
            Processes.signal("STOP", pid);
        }
        assertTimeoutPreemptively(T, () -> group.terminate(Duration.ofSeconds(1)));
        for (long pid : pids) {
            Processes.awaitExited(pid, T, "a stopped worker");
        }
    }

    /** Ten workers that end when asked are all gone after terminate, none left behind. */
    @Test
    void test_safe_terminate2() {
        Group group = new Group(Collections.nCopies(10, Kind.PYTHON.popenSpec()));
        List<Long> pids = new ArrayList<>();
        for (Gateway gw : group) {
            pids.add(gw.remoteInfo(T).pid());
        }
        assertTimeoutPreemptively(T, () -> group.terminate(Duration.ofSeconds(3)));
        for (long pid : pids) {
            Processes.awaitExited(pid, T, "a worker that was asked to exit");
        }
    }

    /**
     * execnet: a kill function that blocks must not hang terminate, and the other pair's kill still
     * runs. Here one worker is stopped (it cannot even die until killed) and one is busy in a long
     * sleep: terminate returns, and both are gone.
     */
    @EachGateway({Kind.POPEN, Kind.PYTHON})
    void test_safe_terminate_does_not_hang_when_kill_blocks(Gw gw) throws Exception {
        Group group = new Group(gw.kind().popenSpec(), gw.kind().popenSpec());
        long stopped = group.get(0).remoteInfo(T).pid();
        long busy = group.get(1).remoteInfo(T).pid();
        new Gw(gw.kind(), group.get(1), group).exec("channel.send(1); Thread.sleep(10_000);",
                "import time\nchannel.send(1)\ntime.sleep(10)").receive(T);
        Processes.signal("STOP", stopped);
        assertTimeoutPreemptively(T, () -> group.terminate(Duration.ofMillis(200)));
        Processes.awaitExited(stopped, T, "the stopped worker");
        Processes.awaitExited(busy, T, "the busy worker");
    }
}
