package org.jexecnet.remote;

import java.util.Map;
import org.jexecnet.Channel;

/** A "module": a class whose run methods are remoteExec entry points. */
public final class EchoModule {
    private EchoModule() {}

    public static void run(Channel channel) {
        channel.send(new Helper().describe(channel.receive()));
    }

    public static void run(Channel channel, Map<String, Object> kwargs) {
        channel.send(kwargs.get("greeting") + ", " + channel.receive());
    }

    /** A nested class, shipped with its outer class. */
    static final class Helper {
        String describe(Object item) {
            return "echo: " + item;
        }
    }
}
