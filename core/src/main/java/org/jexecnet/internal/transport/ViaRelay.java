package org.jexecnet.internal.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jexecnet.Channel;
import org.jexecnet.ChannelClosedException;
import org.jexecnet.ExecModel;
import org.jexecnet.XSpec;

/**
 * The via host's side of a {@code via=} gateway, run there as remote code from the worker's own class
 * path: it starts the worker the spec asks for (popen, ssh or socket, as if the master were here) and
 * relays bytes between it and the master's {@link ChannelLink} until either ends. The worker's end
 * closes the channel; the master's {@code "eof"} closes the worker's input, and the master closing the
 * channel, or its connection going, kills it.
 */
public final class ViaRelay {
    private ViaRelay() {}

    private static final long WORKER_EXIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    /**
     * The entry point.
     *
     * @param kwargs {@code spec} (without {@code via=}), {@code id} and {@code execmodel}
     */
    public static void run(Channel channel, Map<String, Object> kwargs) {
        XSpec spec = XSpec.parse((String) kwargs.get("spec"));
        String id = (String) kwargs.get("id");
        WorkerLink worker = Transports.open(spec, id, ExecModel.fromSpecName((String) kwargs.get("execmodel")));
        channel.send(ChannelLink.READY);
        // Down: the master's bytes to the worker, on a thread of its own.
        Thread down = new Thread(() -> {
            try (OutputStream to = worker.out()) {
                while (true) {
                    Object item = channel.receive();
                    if (item instanceof byte[] bytes) {
                        to.write(bytes);
                        to.flush();
                    } else if (ChannelLink.EOF.equals(item)) {
                        return; // closing the worker's input asks it to end
                    }
                }
            } catch (ChannelClosedException | IOException e) {
                worker.kill(); // the master's connection went, or the worker: nobody is left to talk to it
            }
        }, "jexecnet-via-" + id);
        down.setDaemon(true);
        down.start();
        // Up: the worker's bytes to the master, here, so that the execution, and with it the channel,
        // ends when the worker's output does.
        byte[] buffer = new byte[64 * 1024];
        try {
            InputStream from = worker.in();
            for (int n = from.read(buffer); n >= 0; n = from.read(buffer)) {
                channel.send(Arrays.copyOf(buffer, n));
            }
        } catch (IOException | ChannelClosedException e) {
            // the worker or the master went
        }
        if (!worker.awaitExit(System.nanoTime() + WORKER_EXIT_NANOS)) {
            worker.kill();
            worker.awaitExit(System.nanoTime() + WORKER_EXIT_NANOS);
        }
    }
}
