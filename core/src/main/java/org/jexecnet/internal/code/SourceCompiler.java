package org.jexecnet.internal.code;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.jexecnet.Channel;
import org.jexecnet.DataFormatException;
import org.jexecnet.ExecnetException;
import org.jexecnet.Execnet;
import org.jexecnet.internal.debug.Trace;

/**
 * Compiles the Java statements given to {@code remoteExec(String)} into a class the worker runs, on
 * the master, so that workers need only a JRE.
 *
 * <p>The statements become the body of {@code static void run(Channel channel)} in a class named
 * after the source's hash. The wrapper is put on the same lines as the user's code, so the compiler's
 * line numbers, and the remote stack traces, are the user's own. Results are cached by that hash in
 * memory and, across runs, on disk.
 */
public final class SourceCompiler {
    /** The class files' target: what every supported worker runs. */
    private static final String RELEASE = "17";
    private static final String IMPORTS = "import java.util.*; import org.jexecnet.*; ";

    private static volatile SourceCompiler shared;

    private final Path cacheDir;
    private final Map<String, Compiled> memory = new ConcurrentHashMap<>();
    private final AtomicInteger compilations = new AtomicInteger();

    /** A compiled snippet: the class to run and every class file it needs. */
    public record Compiled(String className, Map<String, byte[]> classes) {}

    /**
     * @param cacheDir where compiled classes are kept across runs, or null for memory only
     */
    public SourceCompiler(Path cacheDir) {
        this.cacheDir = cacheDir;
    }

    /** The compiler all gateways of this JVM share, caching in the user's cache directory. */
    public static SourceCompiler shared() {
        if (shared == null) {
            synchronized (SourceCompiler.class) {
                if (shared == null) {
                    shared = new SourceCompiler(CacheDir.resolve("snippets"));
                }
            }
        }
        return shared;
    }

    /** How many times this instance ran the Java compiler: a cache hit runs it not at all. */
    public int compilations() {
        return compilations.get();
    }

    /**
     * Compiles statements, or finds them compiled.
     *
     * @throws IllegalArgumentException when they do not compile, listing each error with its line
     * @throws ExecnetException when this JVM has no compiler
     */
    public Compiled compile(String source) {
        String hash = hash(source);
        Compiled compiled = memory.get(hash);
        if (compiled == null) {
            String className = "RemoteExec_" + hash.substring(0, 16);
            compiled = readCache(hash, className);
            if (compiled == null) {
                compiled = runCompiler(source, className);
                writeCache(hash, compiled);
            }
            memory.putIfAbsent(hash, compiled);
        }
        return compiled;
    }

    private static String hash(String source) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(("jexecnet-snippet-1 release " + RELEASE + "\n").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private Compiled runCompiler(String source, String className) {
        JavaCompiler compiler = systemCompiler();
        compilations.incrementAndGet();
        Wrapped wrapped = wrap(source, className);
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Map<String, ByteArrayOutputStream> output = new LinkedHashMap<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            JavaFileManager capturing = new ForwardingJavaFileManager<>(files) {
                @Override
                public JavaFileObject getJavaFileForOutput(Location location, String name, JavaFileObject.Kind kind, FileObject sibling) {
                    return new SimpleJavaFileObject(URI.create("mem:///" + name.replace('.', '/') + kind.extension), kind) {
                        @Override
                        public OutputStream openOutputStream() {
                            return output.computeIfAbsent(name, k -> new ByteArrayOutputStream());
                        }
                    };
                }
            };
            List<String> options = List.of("--release", RELEASE, "-g", "-proc:none", "-classpath", classPath());
            JavaFileObject unit = new SimpleJavaFileObject(URI.create("mem:///" + className + ".java"), JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return wrapped.text();
                }
            };
            boolean ok = compiler.getTask(null, capturing, diagnostics, options, null, List.of(unit)).call();
            if (!ok) {
                throw new IllegalArgumentException(describeErrors(diagnostics, wrapped));
            }
        } catch (IOException e) {
            throw new ExecnetException("compiling remoteExec source failed: " + e.getMessage(), e);
        }
        Map<String, byte[]> classes = new LinkedHashMap<>();
        output.forEach((name, bytes) -> classes.put(name, bytes.toByteArray()));
        if (Trace.ON) {
            Trace.log("compiled remoteExec source into " + classes.keySet());
        }
        return new Compiled(className, classes);
    }

    private static JavaCompiler systemCompiler() {
        JavaCompiler compiler;
        try {
            compiler = ToolProvider.getSystemJavaCompiler();
        } catch (LinkageError missingModule) {
            compiler = null;
        }
        if (compiler == null) {
            throw new ExecnetException("remoteExec(String) compiles Java source on the master, but this JVM ("
                    + System.getProperty("java.home") + ") has no Java compiler: run the master on a JDK, or pass"
                    + " a lambda or method reference instead, which needs no compiler");
        }
        return compiler;
    }

    /**
     * The user's source with the wrapper on its lines, line numbers unchanged: the implicit imports
     * before line 1, the class opening before the first statement's line.
     */
    private record Wrapped(String text, int openLine, int openLength) {
        /** The column in the user's source of a column the compiler reports. */
        long userColumn(long line, long column) {
            return column - (line == 1 ? IMPORTS.length() : 0) - (line == openLine ? openLength : 0);
        }
    }

    private static Wrapped wrap(String source, String className) {
        List<String> lines = new ArrayList<>(source.lines().toList());
        if (lines.isEmpty()) {
            lines.add("");
        }
        // Imports must precede the class: they stay on their lines, and the class opens on the first
        // line that is not an import, a comment or blank.
        int firstStatement = 0;
        while (firstStatement < lines.size() && isPreamble(lines.get(firstStatement))) {
            firstStatement++;
        }
        String open = "final class " + className + " { public static void run(Channel channel) throws Throwable { ";
        if (firstStatement == lines.size()) {
            lines.add("");
        }
        lines.set(firstStatement, open + lines.get(firstStatement));
        lines.set(0, IMPORTS + lines.get(0));
        lines.add("}}");
        return new Wrapped(String.join("\n", lines), firstStatement + 1, open.length());
    }

    private static boolean isPreamble(String line) {
        String text = line.strip();
        return text.isEmpty() || text.startsWith("//") || text.startsWith("import ");
    }

    private static String describeErrors(DiagnosticCollector<JavaFileObject> diagnostics, Wrapped wrapped) {
        StringBuilder text = new StringBuilder("remoteExec source does not compile:");
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() != Diagnostic.Kind.ERROR) {
                continue;
            }
            long column = wrapped.userColumn(d.getLineNumber(), d.getColumnNumber());
            text.append("\n  line ").append(d.getLineNumber());
            if (column > 0) {
                text.append(", column ").append(column);
            }
            text.append(": ").append(d.getMessage(Locale.ROOT));
        }
        return text.toString();
    }

    /** What snippets compile against: this JVM's class path and jexecnet itself. */
    private static String classPath() {
        String own;
        try {
            own = Path.of(Channel.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException | RuntimeException e) {
            own = "";
        }
        String path = System.getProperty("java.class.path", "");
        return path.isEmpty() ? own : path + File.pathSeparator + own;
    }

    private Compiled readCache(String hash, String className) {
        if (cacheDir == null) {
            return null;
        }
        Path file = cacheDir.resolve(hash + ".classes");
        try {
            byte[] data = Files.readAllBytes(file);
            Map<?, ?> stored = Execnet.loads(data, Map.class);
            Map<String, byte[]> classes = new LinkedHashMap<>();
            stored.forEach((name, bytes) -> classes.put((String) name, (byte[]) bytes));
            return classes.containsKey(className) ? new Compiled(className, classes) : null;
        } catch (IOException | DataFormatException | ClassCastException e) {
            return null; // absent or damaged: compile again, and overwrite it
        }
    }

    private void writeCache(String hash, Compiled compiled) {
        if (cacheDir == null) {
            return;
        }
        try {
            Files.createDirectories(cacheDir);
            Path temp = Files.createTempFile(cacheDir, hash, ".tmp");
            Files.write(temp, Execnet.dumps(compiled.classes()));
            Files.move(temp, cacheDir.resolve(hash + ".classes"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (Trace.ON) {
                Trace.log("cannot cache compiled remoteExec source in " + cacheDir + ": " + e);
            }
        }
    }
}
