package org.jexecnet;

/**
 * What the other side of a gateway reports about itself, as execnet's {@code remote_status()}.
 *
 * @param numChannels channels open on the other side
 * @param numExecuting remote executions accepted there and not yet finished (counted from the
 *     moment the worker accepts one, so a status asked right after {@code remoteExec} counts it)
 * @param execModel the execution model it runs them with
 */
public record RemoteStatus(int numChannels, int numExecuting, String execModel) {}
