package org.jexecnet;

import java.io.Serializable;
import java.util.Map;

/**
 * Code to run on the other side of a gateway with keyword arguments, execnet's "pure function with
 * kwargs": {@code gateway.remoteExec(Tasks::countTo, Map.of("n", 10))}. The arguments travel through
 * the serializer. Otherwise as {@link RemoteCode}.
 */
@FunctionalInterface
public interface RemoteFunction extends Serializable {

    /**
     * Runs on the worker.
     *
     * @param channel the other end of the channel {@code remoteExec} returned
     * @param kwargs the keyword arguments, as the serializer loads them
     * @throws Exception anything: it reaches the master as a {@link RemoteException}
     */
    void run(Channel channel, Map<String, Object> kwargs) throws Exception;
}
