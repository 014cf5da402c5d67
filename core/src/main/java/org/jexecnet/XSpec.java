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
 * {@code .pyc} files), {@code execmodel=} (see {@link ExecModel}) and {@code via=} (the id of a gateway
 * to start this one through, from its host). For {@code ssh=} and {@code vagrant_ssh=},
 * {@code ssh_config=} (a file for ssh's {@code -F}); for {@code socket=}, {@code secret_file=} (the
 * socket server's shared secret, else the {@code JEXECNET_SECRET} environment variable) and
 * {@code installvia=} (start a one-client socket server on that gateway's host and connect to it:
 * {@code socket//installvia=gw0}); {@code heartbeat=} (seconds of silence after which a JVM peer counts
 * as lost; default 8, 0 for none); {@code window=} (bytes a channel may have in flight unconsumed
 * between JVM ends; default 4 MiB, 0 for none); {@code archive=} (the class-data archive or AOT cache
 * jexecnet makes by itself for a JVM worker's configuration, so that its later starts are quicker:
 * {@code off}, {@code auto} for the default place ({@code archives} in jexecnet's cache directory, on the
 * worker's host), or an absolute directory; when the spec does not say, the {@code jexecnet.archive}
 * system property, else the {@code JEXECNET_ARCHIVE} environment variable, which take the same values).
 *
 * <p>Keys of an application's own start with {@code x-} ({@code popen//x-weight=2}): jexecnet ignores
 * them and {@link #get(String)} reads them.
 *
 * <p>Unlike execnet, which keeps any key, fails with an {@code IndexError} or keeps the last of
 * repeated {@code env:} keys, parsing refuses an unknown key (naming the known ones and the closest
 * match), a key without the value it needs, a flag given a value, empty segments, repeated keys and
 * malformed values, with an {@code IllegalArgumentException} that says what is wrong where.
 *
 * <p>Two specs are equal when their text is.
 */
public final class XSpec {
    private static final List<String> TYPES = List.of("popen", "ssh", "socket", "vagrant_ssh");

    /** Keys of an application's own start with this; jexecnet leaves them alone. */
    private static final String EXTENSION_PREFIX = "x-";

    /**
     * How a key is written: {@code bare} when it may stand alone, as a flag; {@code example} shows a
     * value when it takes one (null for a flag). {@code socket} takes either: alone, it goes with
     * {@code installvia=}.
     */
    private record Key(boolean bare, String example) {
        static Key flag() {
            return new Key(true, null);
        }

        static Key value(String example) {
            return new Key(false, example);
        }

        static Key either(String example) {
            return new Key(true, example);
        }
    }

    /** Every key jexecnet knows, in the order the error for an unknown one lists them: add new keys here. */
    private static final Map<String, Key> KEYS = knownKeys();

    private static Map<String, Key> knownKeys() {
        Map<String, Key> keys = new LinkedHashMap<>();
        keys.put("popen", Key.flag());
        keys.put("ssh", Key.value("ssh=user@host"));
        keys.put("socket", Key.either("socket=host:port"));
        keys.put("vagrant_ssh", Key.value("vagrant_ssh=default"));
        keys.put("id", Key.value("id=w1"));
        keys.put("java", Key.value("java=/opt/jdk21/bin/java"));
        keys.put("jvmargs", Key.value("jvmargs=-Xmx256m"));
        keys.put("classpath", Key.value("classpath=/opt/lib/extra.jar"));
        keys.put("python", Key.value("python=/usr/bin/python3"));
        keys.put("dont_write_bytecode", Key.flag());
        keys.put("chdir", Key.value("chdir=/tmp/work"));
        keys.put("nice", Key.value("nice=5"));
        keys.put("execmodel", Key.value("execmodel=thread"));
        keys.put("via", Key.value("via=gw0"));
        keys.put("installvia", Key.value("installvia=gw0"));
        keys.put("ssh_config", Key.value("ssh_config=/home/me/.ssh/config"));
        keys.put("secret_file", Key.value("secret_file=/home/me/.jexecnet-secret"));
        keys.put("heartbeat", Key.value("heartbeat=8"));
        keys.put("window", Key.value("window=8388608"));
        keys.put("archive", Key.value("archive=off"));
        return Collections.unmodifiableMap(keys);
    }

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
     * @throws IllegalArgumentException when the text is empty or has an empty segment, an unknown
     *     key (the message names the closest known one), a key starting with {@code _}, a repeated key,
     *     a key without the value it needs, a flag with a value, an {@code env:} key without a name or
     *     value, a {@code nice} that is not an integer, an unknown {@code execmodel} or an unclosed
     *     quote in {@code java=}, {@code python=} or {@code jvmargs=}
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
                if (eq < 0) {
                    throw new IllegalArgumentException(key + " needs a value, as in " + key + "=value (which may be empty),"
                            + " in gateway spec '" + text + "'");
                }
                if (env.putIfAbsent(name, value) != null) {
                    throw new IllegalArgumentException("env:" + name + " is given twice in gateway spec '" + text + "'");
                }
                continue;
            }
            if (key.equals("env")) {
                throw new IllegalArgumentException("'env' needs a variable name, as in env:NAME=value, in gateway spec '" + text + "'");
            }
            Key known = KEYS.get(key);
            if (known == null && !key.startsWith(EXTENSION_PREFIX)) {
                throw unknownKey(key, text);
            }
            if (values.putIfAbsent(key, value) != null) {
                throw new IllegalArgumentException("duplicate key '" + key + "' in gateway spec '" + text + "'");
            }
            if (known != null && known.example() == null && eq >= 0) {
                throw new IllegalArgumentException(key + " is a flag and takes no value ('" + segment + "') in gateway spec '"
                        + text + "'");
            }
            if (known != null && !known.bare() && value.isBlank()) {
                throw new IllegalArgumentException(key + " needs a value, as in " + known.example() + ", in gateway spec '"
                        + text + "'");
            }
        }
        XSpec spec = new XSpec(text, Collections.unmodifiableMap(values), Collections.unmodifiableMap(env));
        spec.validate();
        return spec;
    }

    /** The error for a key nobody knows: the closest known key, if one is close, and all of them. */
    private static IllegalArgumentException unknownKey(String key, String text) {
        String closest = null;
        int best = Integer.MAX_VALUE;
        for (String known : KEYS.keySet()) {
            int distance = editDistance(key, known);
            if (distance < best) {
                best = distance;
                closest = known;
            }
        }
        boolean close = best <= Math.max(1, Math.min(2, key.length() / 2));
        return new IllegalArgumentException("unknown key '" + key + "' in gateway spec '" + text + "'"
                + (close ? " \u2014 did you mean '" + closest + "'?" : "") + " Known keys: " + String.join(", ", KEYS.keySet())
                + ", env:NAME; keys of an application's own start with " + EXTENSION_PREFIX);
    }

    /** Edits (insert, delete, replace, swap of neighbours) that turn one key into the other. */
    private static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
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
        String archive = values.get("archive");
        if (archive != null && !archive.equals("off") && !archive.equals("auto") && !archive.startsWith("/")) {
            throw new IllegalArgumentException("archive=" + archive + " is neither off, auto nor an absolute directory in gateway spec '"
                    + text + "'");
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
     * A key's value; a flag's value is the empty string. Keys of an application's own, which start
     * with {@code x-}, are read here too.
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

    /**
     * Each channel's window of unconsumed bytes between JVM ends, when the spec does not say: 4 MiB.
     * Items of up to a MiB then stream without a pause for credit: with 1 MiB, a stream of 1 MiB items
     * waited for a grant after each; in runs side by side, 4 MiB streamed as fast as no window at all.
     */
    public static final int DEFAULT_WINDOW_BYTES = 4 << 20;

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
