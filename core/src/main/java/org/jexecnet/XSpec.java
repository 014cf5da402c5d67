package org.jexecnet;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jexecnet.internal.transport.ShellWords;

/**
 * A gateway specification, parsed from execnet's {@code key=value//key=value//flag} form.
 *
 * <pre>{@code
 * XSpec spec = XSpec.parse("popen//id=w1//java=/opt/jdk21/bin/java//env:MODE=fast");
 * spec.type();          // "popen"
 * spec.env();           // {MODE=fast}
 * }</pre>
 *
 * <p>Keys: the gateway type, one of {@code popen} (a flag), {@code ssh=[options] host},
 * {@code socket=host:port} and {@code vagrant_ssh=name}; then {@code id=}, {@code java=} (the JVM to
 * run: a path or a command, split as a POSIX shell splits words, so a path with a space is quoted or
 * escaped), {@code jvmargs=} (options for that JVM, split the same way, such as
 * {@code -Xmx256m -Dkey="a b"}), {@code chdir=} (the working directory, created if missing),
 * {@code nice=} (an integer), {@code env:NAME=value} (set in the process's environment),
 * {@code classpath=} (entries the worker's JVM has on its own class path, which win over classes of
 * the same name that the master would ship), {@code python=} (start that Python interpreter, which
 * must have execnet installed, instead of a JVM: the gateway then runs Python source; split as
 * {@code java=}, as execnet splits it), {@code dont_write_bytecode} (a flag: the Python worker writes no
 * {@code .pyc} files),
 * {@code execmodel=} (see {@link ExecModel}) and {@code via=} (the id of a gateway to start this one
 * through, from its host). For {@code ssh=} and {@code vagrant_ssh=}, {@code ssh_config=} (a file for
 * ssh's {@code -F}); for {@code socket=}, {@code secret_file=} (the socket server's shared secret, else
 * the {@code JEXECNET_SECRET} environment variable) and {@code installvia=} (start a one-client socket
 * server on that gateway's host and connect to it: {@code socket//installvia=gw0}); {@code heartbeat=}
 * (seconds of silence after which a JVM peer counts as lost; default 8, 0 for none); {@code window=}
 * (bytes a channel may have in flight unconsumed between JVM ends; default 1 MiB, 0 for none). Other keys are kept
 * and readable with {@link #get(String)}.
 *
 * <p>Unlike execnet, which fails with an {@code IndexError} or keeps the last of repeated
 * {@code env:} keys, parsing refuses empty segments, repeated keys and malformed values with an
 * {@code IllegalArgumentException} that says what is wrong where.
 *
 * <p>Two specs are equal when their text is.
 */
public final class XSpec {
    private static final List<String> TYPES = List.of("popen", "ssh", "socket", "vagrant_ssh");

    private final String text;
    private final Map<String, String> values;
    private final Map<String, String> env;

    private XSpec(String text, Map<String, String> values, Map<String, String> env) {
        this.text = text;
        this.values = values;
        this.env = env;
    }

    /**
     * Parses a spec.
     *
     * @param text the spec, such as {@code popen//id=w1}
     * @return the spec
     * @throws IllegalArgumentException when the text is empty or has an empty segment, a key
     *     starting with {@code _}, a repeated key, an {@code env:} key without a name, a {@code nice}
     *     that is not an integer, an unknown {@code execmodel} or an unclosed quote in {@code java=},
     *     {@code python=} or {@code jvmargs=}
     */
    public static XSpec parse(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty gateway spec; the simplest one is \"popen\"");
        }
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> env = new LinkedHashMap<>();
        String[] segments = text.split("//", -1);
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            int eq = segment.indexOf('=');
            String key = eq < 0 ? segment : segment.substring(0, eq);
            String value = eq < 0 ? "" : segment.substring(eq + 1);
            if (key.isEmpty()) {
                throw new IllegalArgumentException("empty " + (segment.isEmpty() ? "segment" : "key") + " in segment "
                        + (i + 1) + " of gateway spec '" + text + "'");
            }
            if (key.startsWith("_")) {
                throw new IllegalArgumentException("'" + key + "' is not a valid spec key (keys may not start with _) in '" + text + "'");
            }
            if (key.startsWith("env:")) {
                String name = key.substring(4);
                if (name.isEmpty()) {
                    throw new IllegalArgumentException("env: key without a variable name in gateway spec '" + text + "'");
                }
                if (env.putIfAbsent(name, value) != null) {
                    throw new IllegalArgumentException("env:" + name + " is given twice in gateway spec '" + text + "'");
                }
            } else if (key.equals("env") || values.putIfAbsent(key, value) != null) {
                throw new IllegalArgumentException("duplicate key '" + key + "' in gateway spec '" + text + "'");
            }
        }
        XSpec spec = new XSpec(text, Collections.unmodifiableMap(values), Collections.unmodifiableMap(env));
        spec.validate();
        return spec;
    }

    private void validate() {
        String window = values.get("window");
        if (window != null) {
            try {
                int bytes = Integer.parseInt(window.strip());
                if (bytes != 0 && bytes < 4096) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("window=" + window + " is not a number of bytes of at least 4096 (0 for no flow"
                        + " control) in gateway spec '" + text + "'");
            }
        }
        String heartbeat = values.get("heartbeat");
        if (heartbeat != null) {
            try {
                if (Integer.parseInt(heartbeat.strip()) < 0) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("heartbeat=" + heartbeat + " is not a number of seconds (0 for none) in gateway spec '"
                        + text + "'");
            }
        }
        String nice = values.get("nice");
        if (nice != null) {
            try {
                Integer.parseInt(nice.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("nice=" + nice + " is not an integer in gateway spec '" + text + "'");
            }
        }
        for (String key : List.of("java", "python", "jvmargs")) {
            String command = values.get(key);
            if (command != null) {
                try {
                    ShellWords.split(command);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(key + "=" + command + ": " + e.getMessage() + " (in gateway spec '" + text + "')");
                }
            }
        }
        String model = values.get("execmodel");
        if (model != null) {
            try {
                ExecModel.fromSpecName(model);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage() + " (in gateway spec '" + text + "')");
            }
        }
    }

    /**
     * The gateway type: {@code popen}, {@code ssh}, {@code socket} or {@code vagrant_ssh}, the first
     * present in that order, as execnet chooses.
     *
     * @return the type, or null when the spec names none
     */
    public String type() {
        for (String type : TYPES) {
            if (values.containsKey(type)) {
                return type;
            }
        }
        return null;
    }

    /**
     * Whether the spec has a key, as a flag or with a value.
     *
     * @param key the key
     * @return true when present
     */
    public boolean has(String key) {
        return values.containsKey(key);
    }

    /**
     * A key's value; a flag's value is the empty string.
     *
     * @param key the key
     * @return the value, or null when the key is absent
     */
    public String get(String key) {
        return values.get(key);
    }

    /**
     * The {@code id=} value.
     *
     * @return the id, or null
     */
    public String id() {
        return values.get("id");
    }

    /**
     * The {@code java=} value: the JVM to run.
     *
     * @return the path or command, or null for the master's own JVM
     */
    public String java() {
        return values.get("java");
    }

    /**
     * The {@code jvmargs=} value split into words as a POSIX shell splits them: at white space, with
     * quotes and backslashes keeping a space inside a word ({@code -Dtitle="a b"}).
     *
     * @return the JVM options, possibly empty
     */
    public List<String> jvmArgs() {
        return ShellWords.split(values.getOrDefault("jvmargs", ""));
    }

    /**
     * The {@code chdir=} value.
     *
     * @return the working directory, or null
     */
    public String chdir() {
        return values.get("chdir");
    }

    /**
     * The {@code nice=} value.
     *
     * @return the niceness increment, or null
     */
    public Integer nice() {
        String nice = values.get("nice");
        return nice == null ? null : Integer.parseInt(nice.strip());
    }

    /**
     * The {@code execmodel=} value.
     *
     * @return the model, or null to use the group's default
     */
    public ExecModel execModel() {
        for (String key : List.of("java", "python", "jvmargs")) {
            String command = values.get(key);
            if (command != null) {
                try {
                    ShellWords.split(command);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(key + "=" + command + ": " + e.getMessage() + " (in gateway spec '" + text + "')");
                }
            }
        }
        String model = values.get("execmodel");
        return model == null ? null : ExecModel.fromSpecName(model);
    }

    /** Each channel's window of unconsumed bytes between JVM ends, when the spec does not say: 1 MiB. */
    public static final int DEFAULT_WINDOW_BYTES = 1 << 20;

    /**
     * The {@code window=} value: how many bytes of a channel's data, sent but not yet taken by the
     * receiver, a JVM end may have in flight before a send waits (both directions, every channel); 0
     * turns flow control off, as execnet has none.
     *
     * @return the bytes, {@link #DEFAULT_WINDOW_BYTES} when the spec does not say
     */
    public int windowBytes() {
        String value = values.get("window");
        return value == null ? DEFAULT_WINDOW_BYTES : Integer.parseInt(value.strip());
    }

    /** Seconds of silence after which a JVM peer counts as lost, when the spec does not say. */
    public static final int DEFAULT_HEARTBEAT_SECONDS = 8;

    /**
     * The {@code heartbeat=} value: after how many seconds without a sign of life a JVM worker and its
     * master take each other for lost (a stopped process, a hung host, a cut link); 0 turns the
     * heartbeat off. Python workers have none.
     *
     * @return the seconds, {@link #DEFAULT_HEARTBEAT_SECONDS} when the spec does not say
     */
    public int heartbeatSeconds() {
        String value = values.get("heartbeat");
        return value == null ? DEFAULT_HEARTBEAT_SECONDS : Integer.parseInt(value.strip());
    }

    /**
     * The {@code via=} value.
     *
     * @return the id of the gateway to go through, or null
     */
    public String via() {
        return values.get("via");
    }

    /**
     * The {@code env:NAME=value} entries.
     *
     * @return the variables, in spec order
     */
    public Map<String, String> env() {
        return env;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof XSpec spec && spec.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    /**
     * The spec's text, as given.
     */
    @Override
    public String toString() {
        return text;
    }
}
