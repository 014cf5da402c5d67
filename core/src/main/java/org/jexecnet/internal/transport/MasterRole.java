package org.jexecnet.internal.transport;

import java.util.Map;
import java.util.function.Supplier;
import org.jexecnet.ExecModel;
import org.jexecnet.internal.protocol.Connection;
import org.jexecnet.internal.protocol.RealChannel;

/**
 * The master's side of the protocol over a link: it runs no code it is sent, and adds what the
 * transport said last to the message of a lost connection.
 */
public final class MasterRole implements Connection.Role {
    private final ExecModel localModel;
    private final Supplier<String> lastWords;
    private final Runnable atEnd;

    /**
     * @param localModel this side's execution model, which status reports
     * @param lastWords what the transport said as the connection was lost ({@link WorkerLink#lastWords()})
     * @param atEnd runs once receiving has ended, after every channel learned of it
     */
    public MasterRole(ExecModel localModel, Supplier<String> lastWords, Runnable atEnd) {
        this.localModel = localModel;
        this.lastWords = lastWords;
        this.atEnd = atEnd;
    }

    @Override
    public String lostDetail() {
        return lastWords.get();
    }

    @Override
    public int firstChannelId() {
        return 1;
    }

    @Override
    public void execute(RealChannel channel, byte[] payload) {
        channel.closeHere("execution disallowed");
    }

    @Override
    public Map<String, Object> status(int openChannels) {
        return Map.of("numchannels", openChannels, "numexecuting", 0, "execmodel", localModel.specName());
    }

    @Override
    public void receivingEnded(Throwable cause) {
        atEnd.run();
    }
}
