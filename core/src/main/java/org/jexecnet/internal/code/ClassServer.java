package org.jexecnet.internal.code;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jexecnet.internal.debug.Trace;

/**
 * The master's side of on-demand class loading for one gateway: finds where a class or resource
 * lives on this JVM and says what to ship for it. A class from a jar ships as the whole jar, once per
 * gateway, so that loading a library costs one round trip, not one per class; a class from a
 * directory ships with its nested classes.
 *
 * <p>Classes are looked up in the class loaders of the code sent over the gateway, newest first, then
 * in the thread's context class loader and the system class loader.
 */
public final class ClassServer {
    /** A jar's hash is computed once per JVM, and again only when the file changes. */
    private record JarId(Path path, long size, FileTime modified) {}

    private static final Map<JarId, String> JAR_HASHES = new ConcurrentHashMap<>();

    private final List<ClassLoader> loaders = new CopyOnWriteArrayList<>();
    private final Set<String> shippedJars = ConcurrentHashMap.newKeySet();
    private final AtomicInteger requests = new AtomicInteger();
    private final Path ownLocation;

    public ClassServer() {
        this.ownLocation = location(ClassServer.class);
    }

    private static Path location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /** Remembers where code sent over the gateway came from, to look up what it needs there first. */
    public void register(ClassLoader loader) {
        if (loader != null && !loaders.contains(loader)) {
            loaders.add(0, loader);
        }
    }

    /** How many requests the worker has made: the round trips class loading cost. */
    public int requestsServed() {
        return requests.get();
    }

    /**
     * Adds what a worker needs to load a class to the files and jars of an exec request, so that the
     * entry class travels with the request itself.
     */
    public void addClass(String binaryName, Map<String, byte[]> files, Map<String, byte[]> jars) {
        ClassAnswer answer = answer(binaryName.replace('.', '/') + ".class", true);
        if (answer instanceof ClassAnswer.Jar jar) {
            jars.put(jar.sha256(), jar.bytes());
        } else if (answer instanceof ClassAnswer.Files found) {
            files.putAll(found.files());
        }
    }

    /**
     * Answers a worker's request.
     *
     * @param kind a class (with a binary name) or a resource (with a resource path)
     * @param name what the worker looks for
     */
    public ClassAnswer serve(ClassRequest.Kind kind, String name) {
        requests.incrementAndGet();
        ClassAnswer answer = switch (kind) {
            case CLASS -> answer(name.replace('.', '/') + ".class", true);
            case RESOURCE -> answer(name, false);
        };
        if (Trace.ON) {
            Trace.log("class server: " + kind + " " + name + " -> " + (answer instanceof ClassAnswer.Jar jar
                    ? "jar " + jar.sha256() + (jar.bytes() == null ? " (sent before)" : "") : answer.toValue().get(0)));
        }
        return answer;
    }

    private ClassAnswer answer(String path, boolean isClass) {
        URL url = find(path);
        if (url == null) {
            return new ClassAnswer.Missing();
        }
        try {
            switch (url.getProtocol()) {
                case "jar" -> {
                    String spec = url.getPath();
                    Path jar = Path.of(new URL(spec.substring(0, spec.indexOf("!/"))).toURI());
                    if (jar.equals(ownLocation)) {
                        return new ClassAnswer.Missing(); // the worker runs from this jar: it has it
                    }
                    String hash = hash(jar);
                    if (!shippedJars.add(hash)) {
                        return new ClassAnswer.Jar(hash, null);
                    }
                    try {
                        return new ClassAnswer.Jar(hash, Files.readAllBytes(jar));
                    } catch (IOException | RuntimeException e) {
                        shippedJars.remove(hash); // not sent after all: the next request must carry it
                        throw e;
                    }
                }
                case "file" -> {
                    Path file = Path.of(url.toURI());
                    if (ownLocation != null && file.startsWith(ownLocation)) {
                        return new ClassAnswer.Missing();
                    }
                    return new ClassAnswer.Files(isClass ? withNested(file, path) : Map.of(path, Files.readAllBytes(file)));
                }
                default -> {
                    return new ClassAnswer.Missing(); // jrt: and others: the worker's own runtime has them
                }
            }
        } catch (IOException | URISyntaxException e) {
            throw new UncheckedIOException(new IOException("cannot read " + url + " for the worker: " + e.getMessage(), e));
        }
    }

    private URL find(String path) {
        for (ClassLoader loader : loaders) {
            URL url = loader.getResource(path);
            if (url != null) {
                return url;
            }
        }
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        URL url = context == null ? null : context.getResource(path);
        return url != null ? url : ClassLoader.getSystemResource(path);
    }

    /** A class file and the files of its nested and anonymous classes, which its code nearly always needs. */
    private static Map<String, byte[]> withNested(Path file, String path) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(path, Files.readAllBytes(file));
        String simple = file.getFileName().toString();
        String prefix = simple.substring(0, simple.length() - ".class".length()) + "$";
        String dir = path.substring(0, path.length() - simple.length());
        try (Stream<Path> siblings = Files.list(file.getParent())) {
            for (Path sibling : (Iterable<Path>) siblings::iterator) {
                String name = sibling.getFileName().toString();
                if (name.startsWith(prefix) && name.endsWith(".class")) {
                    files.put(dir + name, Files.readAllBytes(sibling));
                }
            }
        }
        return files;
    }

    private static String hash(Path jar) throws IOException {
        JarId id = new JarId(jar, Files.size(jar), Files.getLastModifiedTime(jar));
        String known = JAR_HASHES.get(id);
        if (known != null) {
            return known;
        }
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
        try (InputStream in = Files.newInputStream(jar)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                sha.update(buffer, 0, n);
            }
        }
        String hash = HexFormat.of().formatHex(sha.digest());
        JAR_HASHES.put(id, hash);
        return hash;
    }
}
