package org.jexecnet.internal.protocol;

import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

/** A role for engine tests: it runs nothing; it keeps the channels the peer opened and how the end came. */
final class TestRole implements Connection.Role {
    private final int firstChannelId;
    final BlockingQueue<RealChannel> executions = new LinkedBlockingQueue<>();
    final List<Throwable> ends = new CopyOnWriteArrayList<>();
    /** What {@link #execute} throws on the receiver thread, standing for a failure of the engine there; null: nothing. */
    volatile Error executeFails;

    TestRole(int firstChannelId) {
        this.firstChannelId = firstChannelId;
    }

    @Override
    public int firstChannelId() {
        return firstChannelId;
    }

    @Override
    public void execute(RealChannel channel, byte[] payload) {
        Error failure = executeFails;
        if (failure != null) {
            throw failure;
        }
        executions.add(channel);
    }

    @Override
    public Map<String, Object> status(int openChannels) {
        return Map.of("numchannels", openChannels, "numexecuting", 0, "execmodel", "thread");
    }

    @Override
    public void receivingEnded(Throwable cause) {
        ends.add(cause == null ? new Throwable("orderly") : cause);
    }
}
