package org.jexecnet.internal.worker;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import org.jexecnet.Channel;
import org.jexecnet.internal.code.ExecRequest;
import org.jexecnet.internal.code.RemoteClassLoader;
import org.jexecnet.internal.debug.Trace;
import org.jexecnet.internal.protocol.Connection;
import org.jexecnet.internal.protocol.RealChannel;

/** The worker's side of the protocol: runs what the master sends, reports status, exits when told. */
final class WorkerRole implements Connection.Role {
    /** How long running executions get to react to their interrupt before the worker exits anyway. */
    static final long EXIT_GRACE_MILLIS = 500;

    private final String name;
    private final Executions executions;
    private final RemoteClassLoader classes;

    WorkerRole(String name, Executions executions) {
        this.name = name;
        this.executions = executions;
        this.classes = new RemoteClassLoader(name, WorkerRole.class.getClassLoader());
    }

    @Override
    public int firstChannelId() {
        return 2;
    }

    @Override
    public void execute(RealChannel channel, byte[] payload) {
        ExecRequest request;
        try {
            request = ExecRequest.fromPayload(payload);
        } catch (IllegalArgumentException e) {
            channel.closeHere(e.getMessage());
            return;
        }
        if (Trace.ON) {
            Trace.log(name + " execution starts[" + channel.id() + "]: " + request.entryClass() + "." + request.entryMethod());
        }
        classes.add(request.classes());
        try {
            executions.submit(() -> run(channel, request));
        } catch (RejectedExecutionException e) {
            channel.closeHere(e.getMessage());
        }
    }

    private void run(RealChannel channel, ExecRequest request) {
        String error = null;
        channel.setExecuting(true);
        try {
            Method entry = entryMethod(request);
            if (entry.getParameterCount() == 1) {
                entry.invoke(null, channel);
            } else {
                entry.invoke(null, channel, request.kwargs());
            }
        } catch (InvocationTargetException e) {
            error = RealChannel.stackTrace(trimmed(e.getCause()));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            error = RealChannel.stackTrace(e);
        } finally {
            channel.setExecuting(false);
        }
        if (Trace.ON) {
            Trace.log(name + " execution finished[" + channel.id() + "]" + (error == null ? "" : " with an error"));
        }
        channel.closeHere(error);
    }

    private Method entryMethod(ExecRequest request) throws ReflectiveOperationException {
        Class<?> type = Class.forName(request.entryClass(), true, classes);
        for (Method method : type.getDeclaredMethods()) {
            Class<?>[] params = method.getParameterTypes();
            boolean takesChannel = params.length >= 1 && params[0] == Channel.class;
            boolean takesKwargs = params.length == 2 && params[1] == Map.class;
            if (method.getName().equals(request.entryMethod()) && Modifier.isStatic(method.getModifiers())
                    && takesChannel && (params.length == 1 || takesKwargs)) {
                method.setAccessible(true);
                return method;
            }
        }
        throw new NoSuchMethodException(request.entryClass() + " has no static method " + request.entryMethod()
                + "(Channel) or " + request.entryMethod() + "(Channel, Map)");
    }

    /** The failure without the frames of the worker's own reflective call, which only add noise. */
    private static Throwable trimmed(Throwable failure) {
        StackTraceElement[] frames = failure.getStackTrace();
        for (int i = 0; i < frames.length; i++) {
            String cls = frames[i].getClassName();
            if (cls.startsWith("jdk.internal.reflect.") || cls.equals("java.lang.reflect.Method")) {
                failure.setStackTrace(java.util.Arrays.copyOf(frames, i));
                break;
            }
        }
        return failure;
    }

    @Override
    public Map<String, Object> status(int openChannels) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("numchannels", openChannels);
        status.put("numexecuting", executions.executing());
        status.put("execmodel", executions.model().specName());
        return status;
    }

    @Override
    public void receivingEnded(Throwable cause) {
        if (Trace.ON) {
            Trace.log(name + " terminating executions" + (cause == null ? "" : " after " + cause));
        }
        // Exit from a thread of its own: the receiver must not wait for the executions it interrupts.
        Thread exit = new Thread(() -> {
            executions.shutdown(EXIT_GRACE_MILLIS);
            WorkerMain.exit(0);
        }, "jexecnet-exit");
        exit.setDaemon(true);
        exit.start();
    }
}
