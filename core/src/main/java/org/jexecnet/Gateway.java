package org.jexecnet;

import java.time.Duration;
import java.util.Map;

/**
 * A connection to another JVM (or Python interpreter) that runs code sent to it and talks to that
 * code over {@link Channel}s. Make one with {@link Execnet#makeGateway(String)} or
 * {@link Group#makeGateway(String)}:
 *
 * <pre>{@code
 * try (Gateway gateway = Execnet.makeGateway("popen//id=worker1")) {
 *     Channel channel = gateway.remoteExec("channel.send(Runtime.version().feature());");
 *     int javaVersion = channel.receive(int.class, Duration.ofSeconds(10));
 * }
 * }</pre>
 *
 * <p>Closing a gateway asks the other side to exit, waits for it a little, then kills it and its
 * child processes.
 */
public interface Gateway extends AutoCloseable {

    /**
     * The gateway's id, unique within its group: from the spec's {@code id=}, else {@code gw0},
     * {@code gw1}, ...
     *
     * @return the id
     */
    String id();

    /**
     * The spec the gateway was made from.
     *
     * @return the spec
     */
    XSpec spec();

    /**
     * Runs Java statements on the other side, with the channel's other end in scope as
     * {@code channel}. The source may begin with import declarations; {@code java.util.*} and
     * {@code org.jexecnet.*} are imported already. It is compiled here, on the master, so the other
     * side needs only a JRE; compiled code is cached, in memory and on disk, by the source's hash.
     *
     * <pre>{@code
     * Channel squares = gateway.remoteExec("""
     *         for (Object x : channel) {
     *             channel.send((Integer) x * (Integer) x);
     *         }
     *         """);
     * }</pre>
     *
     * <p>On a Python worker ({@code python=}) the text is Python source, dedented first as execnet does
     * ({@code textwrap.dedent}), so an indented snippet runs as it would under execnet.
     *
     * @param javaSource Java statements, optionally preceded by imports; Python source for a Python worker
     * @return the channel to the running code; it closes when the code returns
     * @throws IllegalArgumentException when the source does not compile: the message lists each
     *     error with its line in the given source
     * @throws ExecnetException when this JVM has no Java compiler (a JRE)
     * @throws ChannelClosedException when the gateway has exited, or ({@link ConnectionLostException})
     *     lost its connection
     */
    Channel remoteExec(String javaSource);

    /**
     * Runs a lambda or method reference on the other side. The classes it needs are shipped from
     * this JVM as the worker asks for them: a jar at a time, or a class and its nested classes from a
     * directory.
     *
     * <pre>{@code
     * Channel channel = gateway.remoteExec(ch -> ch.send(ProcessHandle.current().pid()));
     * }</pre>
     *
     * @param code the code; captured values must be ones the serializer supports
     * @return the channel to the running code; it closes when the code returns
     * @throws IllegalArgumentException when the code captures {@code this}, an object it is bound to,
     *     or a value the serializer cannot send: the message says which
     */
    Channel remoteExec(RemoteCode code);

    /**
     * Runs a lambda or method reference with keyword arguments on the other side.
     *
     * @param function the code
     * @param kwargs the arguments: values the serializer supports
     * @return the channel to the running code
     * @throws IllegalArgumentException as for {@link #remoteExec(RemoteCode)}
     * @throws DumpException when an argument cannot be serialized
     */
    Channel remoteExec(RemoteFunction function, Map<String, ?> kwargs);

    /**
     * Runs a class on the other side, execnet's "module": its {@code static void run(Channel)} method,
     * or {@code run(Channel, Map<String, Object>)}. The class, and what it uses, ship from this JVM.
     *
     * @param module the class
     * @return the channel to the running code
     * @throws IllegalArgumentException when the class has neither method
     */
    Channel remoteExec(Class<?> module);

    /**
     * Runs a class's {@code static void run(Channel, Map<String, Object>)} method on the other side,
     * with keyword arguments; with none, its {@code run(Channel)} if it has only that.
     *
     * @param module the class
     * @param kwargs the arguments: values the serializer supports
     * @return the channel to the running code
     * @throws IllegalArgumentException when there are arguments and the class has no
     *     {@code run(Channel, Map)} to take them (execnet's "can't pass kwargs to non-function
     *     remote_exec"), or when it has no run method at all
     * @throws DumpException when an argument cannot be serialized
     */
    Channel remoteExec(Class<?> module, Map<String, ?> kwargs);

    /**
     * Makes a new channel on this gateway, to send inside a message to code on the other side.
     *
     * @return the channel
     */
    Channel newChannel();

    /**
     * Asks the other side how it is doing: its open channels, running executions and execution model.
     *
     * @param timeout how long to wait for the answer: zero does not wait, and a century or more (such as
     *     {@code ChronoUnit.FOREVER.getDuration()}) waits without a limit; not null
     * @return the status
     * @throws ChannelTimeoutException when no answer came in time
     * @throws ChannelClosedException when the gateway has exited or lost its connection
     * @throws NullPointerException when the timeout is null
     */
    RemoteStatus remoteStatus(Duration timeout);

    /**
     * Facts about the other side's process: its runtime, executable, working directory and pid.
     * Asked once and remembered.
     *
     * @param timeout how long to wait for the answer, the first time, as for {@link #remoteStatus(Duration)}; not null
     * @return the facts
     * @throws ChannelTimeoutException when no answer came in time
     * @throws NullPointerException when the timeout is null
     */
    RemoteInfo remoteInfo(Duration timeout);

    /**
     * Sets how strings arriving on this gateway's channels load, on both sides, as execnet's
     * {@code gateway.reconfigure}. Channels made afterwards take the new setting; a gateway starts with
     * {@link StringCoercion#PY2STR_AS_PY3STR}.
     *
     * <pre>{@code
     * gateway.reconfigure(StringCoercion.PY3STR_AS_PY2STR);    // strings arrive as byte[]
     * }</pre>
     *
     * @param strings what Python's strings load as
     */
    void reconfigure(StringCoercion strings);

    /**
     * Whether the gateway still receives from the other side.
     *
     * @return true while connected
     */
    boolean isAlive();

    /**
     * Asks the other side to exit and stops sending, without waiting: execnet's {@code gateway.exit()}.
     * The gateway leaves its group's list, but {@link Group#terminate(Duration)} still waits for its
     * process and kills it if need be; {@link #close()} waits and kills too.
     */
    void exit();

    /**
     * Ends the gateway: asks the other side to exit, waits up to ten seconds, then kills its process
     * tree and waits up to five more seconds for it to go.
     */
    @Override
    void close();
}
