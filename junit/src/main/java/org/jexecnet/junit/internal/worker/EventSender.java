package org.jexecnet.junit.internal.worker;

import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jexecnet.Channel;
import org.jexecnet.junit.internal.wire.Failure;
import org.jexecnet.junit.internal.wire.WorkerEvent;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Sends each event of an execution to the master as it happens, so that the master knows at every
 * moment what runs where: that is what names the test a crash interrupted. Durations are measured here,
 * on the worker's clock.
 */
final class EventSender implements TestExecutionListener {
    private final Channel channel;
    /** Start times by unique id; tests may run in parallel inside one worker when the suite asks for it. */
    private final Map<String, Long> started = new ConcurrentHashMap<>();

    EventSender(Channel channel) {
        this.channel = channel;
    }

    @Override
    public void dynamicTestRegistered(TestIdentifier identifier) {
        channel.send(new WorkerEvent.Dynamic(Nodes.of(identifier)).toWire());
    }

    @Override
    public void executionStarted(TestIdentifier identifier) {
        started.put(identifier.getUniqueId(), System.nanoTime());
        channel.send(new WorkerEvent.Started(identifier.getUniqueId()).toWire());
    }

    @Override
    public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
        Long start = started.remove(identifier.getUniqueId());
        long nanos = start == null ? 0 : System.nanoTime() - start;
        Failure failure = result.getThrowable().map(Failure::of).orElse(null);
        channel.send(new WorkerEvent.Finished(identifier.getUniqueId(), result.getStatus().name(), failure, nanos).toWire());
    }

    @Override
    public void executionSkipped(TestIdentifier identifier, String reason) {
        channel.send(new WorkerEvent.Skipped(identifier.getUniqueId(), reason).toWire());
    }

    @Override
    public void reportingEntryPublished(TestIdentifier identifier, ReportEntry entry) {
        channel.send(new WorkerEvent.Reported(identifier.getUniqueId(), DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(entry.getTimestamp()),
                entry.getKeyValuePairs()).toWire());
    }
}
