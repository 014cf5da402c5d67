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

    TestRole(int firstChannelId) {
        this.firstChannelId = firstChannelId;
    }

    @Override
    public int firstChannelId() {
        return firstChannelId;
    }

    @Override
    public void execute(RealChannel channel, byte[] payload) {
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
