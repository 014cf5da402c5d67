package org.jexecnet;

import java.io.Serializable;

/**
 * Code to run on the other side of a gateway, given as a lambda or a method reference:
 *
 * <pre>{@code
 * int factor = 3;   // captured values travel by value, through the serializer
 * Channel channel = gateway.remoteExec(ch -> {
 *     for (Object x : ch) ch.send((Integer) x * factor);
 * });
 * Channel served = gateway.remoteExec(Worker::serve);   // static void serve(Channel channel)
 * }</pre>
 *
 * <p>What ships is the code, not an object: the class that holds the lambda's body (or the referenced
 * method) and the values it captured. A captured value must be one the serializer supports; a lambda
 * that captures {@code this}, or a reference bound to an object ({@code obj::method}), is refused on
 * this side with a message saying what it captured. The classes the code uses are loaded from this
 * side on demand, so anything on the master's class path works on the worker.
 *
 * <p>It extends {@link Serializable} only so that the compiler records how a lambda was made;
 * jexecnet never uses Java serialization.
 */
@FunctionalInterface
public interface RemoteCode extends Serializable {

    /**
     * Runs on the worker.
     *
     * @param channel the other end of the channel {@code remoteExec} returned
     * @throws Exception anything: it reaches the master as a {@link RemoteException}
     */
    void run(Channel channel) throws Exception;
}
