package org.jexecnet.internal.code;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.CodeSigner;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.ProtectionDomain;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The worker's class loader for one gateway. It delegates to its parent first, so the JDK and the
 * worker's own class path (jexecnet, and what {@code classpath=} adds) win; what they lack comes
 * from the master, on demand.
 *
 * <p>Shipped class files and resources are written to a directory of this gateway's, shipped jars to a
 * cache shared by all gateways of the user and named by their SHA-256, which is checked when a jar is
 * stored and again when a cached one is used; both are then read as any
 * class path entry is, so classes get proper code sources and resources proper URLs. A name the
 * master does not have is remembered, so probing for optional classes costs one round trip each.
 */
public final class RemoteClassLoader extends URLClassLoader {
    static {
        registerAsParallelCapable();
    }

    /** How this loader asks the master for what it lacks. */
    public interface Fetcher {
        /**
         * Asks the master: returns its {@link ClassServer#serve} answer.
         *
         * @throws IllegalStateException when this thread cannot wait for the master (the receiver thread)
         */
        ClassAnswer fetch(ClassRequest.Kind kind, String name) throws Exception;
    }

    private static final long JAR_WAIT_SECONDS = 120;

    private final String gatewayName;
    private final Path filesDir;
    private final Path jarCache;
    private volatile Fetcher fetcher;
    private final Map<String, CompletableFuture<Path>> jars = new ConcurrentHashMap<>();
    private final Set<String> writers = ConcurrentHashMap.newKeySet();
    private final Set<String> missing = ConcurrentHashMap.newKeySet();
    /**
     * Class files received and not yet defined, by resource path: a class is defined from these bytes,
     * without reading back the file just written (URLClassLoader's way, which costs a first execution
     * the URL connection, file permission and security properties classes). The files stay for
     * resource lookups and for a class that must be defined again by another loader.
     */
    private final Map<String, byte[]> received = new ConcurrentHashMap<>();
    private final ProtectionDomain shipped;

    public RemoteClassLoader(String gatewayName, ClassLoader parent, Path filesDir, Path jarCache) {
        super("jexecnet-" + gatewayName, new URL[] {url(filesDir)}, parent);
        this.gatewayName = gatewayName;
        this.filesDir = filesDir;
        this.jarCache = jarCache;
        this.shipped = new ProtectionDomain(new CodeSource(url(filesDir), (CodeSigner[]) null), null, this, null);
    }

    private static URL url(Path path) {
        try {
            return path.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(path + " has no URL", e);
        }
    }

    public void setFetcher(Fetcher fetcher) {
        this.fetcher = fetcher;
    }

    /**
     * Takes files and jars the master sent, with an exec request or an answer. Never waits: a jar
     * named without its bytes (sent with another request) is left to {@link #awaitJars}.
     */
    public void accept(Map<String, byte[]> files, Map<String, byte[]> shippedJars) throws IOException {
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            Path target = filesDir.resolve(file.getKey()).normalize();
            if (!target.startsWith(filesDir)) {
                throw new IOException("refusing to write " + file.getKey() + " outside " + filesDir);
            }
            Files.createDirectories(target.getParent());
            writeAtomically(target, file.getValue());
            if (file.getKey().endsWith(".class")) {
                received.put(file.getKey(), file.getValue());
            }
        }
        for (Map.Entry<String, byte[]> jar : shippedJars.entrySet()) {
            if (jar.getValue() != null) {
                addJar(jar.getKey(), jar.getValue());
            }
        }
    }

    /**
     * Waits until the jars named without their bytes are on the class path: another request or answer
     * carries them, and may still be on its way behind this one.
     */
    public void awaitJars(Map<String, byte[]> shippedJars) throws IOException {
        for (Map.Entry<String, byte[]> jar : shippedJars.entrySet()) {
            if (jar.getValue() == null) {
                addJar(jar.getKey(), null);
            }
        }
    }

    /**
     * Makes a jar part of the class path: stores it, unless the cache has it already, and adds it. The
     * master sends a jar's bytes once per gateway; {@code null} bytes mean another answer carries them,
     * and this waits for that one to finish.
     *
     * <p>Jars are named by the SHA-256 of their bytes, and the cache is shared by every later gateway of
     * the user: so bytes that do not hash to their name are refused, and a cached copy is used only when
     * its bytes still do (else it is replaced, and the worker says so on stderr). One forged request can
     * then plant nothing that a later gateway would run.
     */
    private void addJar(String hash, byte[] bytes) throws IOException {
        if (!hash.matches("[0-9a-f]{64}")) {
            throw new IOException("not a SHA-256 jar name: " + hash);
        }
        if (bytes != null && !hash.equals(sha256(bytes))) {
            throw new IOException("refusing jar " + hash + ": its " + bytes.length + " bytes hash to " + sha256(bytes)
                    + ", not to its name; nothing was stored");
        }
        // The answers for two classes of one jar can arrive in any order: whichever carries the bytes
        // adds the jar, the other waits for that.
        CompletableFuture<Path> added = jars.computeIfAbsent(hash, h -> new CompletableFuture<>());
        Path jar = jarCache.resolve(hash + ".jar");
        // Without the bytes, a copy in the cache will do as well as the one on its way.
        boolean cached = cachedCopyMatches(jar, hash);
        if (!(bytes != null || cached) || !writers.add(hash)) {
            await(added, hash);
            return;
        }
        try {
            if (!cached) {
                Files.createDirectories(jarCache);
                writeAtomically(jar, bytes);
            }
            addURL(url(jar));
            added.complete(jar);
        } catch (IOException | RuntimeException e) {
            added.completeExceptionally(e);
            throw e;
        }
    }

    /** Whether the cache holds the jar with the bytes its name promises; a copy that does not is refused, and said so. */
    private boolean cachedCopyMatches(Path jar, String hash) throws IOException {
        if (!Files.isRegularFile(jar)) {
            return false;
        }
        String found = sha256(Files.readAllBytes(jar));
        if (found.equals(hash)) {
            return true;
        }
        System.err.println("jexecnet " + gatewayName + ": the cached jar " + jar + " does not match its SHA-256 (its bytes hash to "
                + found + "): refused; it is replaced by the master's copy");
        return false;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * Writes a file under a name of its own, then renames it into place, so that no reader, here or in
     * another worker sharing the jar cache, sees it half written. The temporary name is made from the
     * clock and the thread rather than with {@code Files.createTempFile}, whose SecureRandom would cost
     * a starting worker tens of milliseconds.
     */
    private static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + "." + Long.toHexString(System.nanoTime())
                + "-" + Thread.currentThread().getId() + ".part");
        try (FileOutputStream out = new FileOutputStream(temp.toFile())) {
            out.write(bytes); // not Files.write, whose channel classes a starting worker would load for it
        }
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void await(CompletableFuture<Path> jar, String hash) throws IOException {
        try {
            jar.get(JAR_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for jar " + hash, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("jar " + hash + " did not arrive or could not be added: " + e, e);
        }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        Class<?> type = defineReceived(name);
        if (type != null) {
            return type;
        }
        try {
            return super.findClass(name);
        } catch (ClassNotFoundException notHereYet) {
            if (!fetchFromMaster(ClassRequest.Kind.CLASS, name)) {
                throw new ClassNotFoundException(name + " is neither on the worker's class path nor on the master's");
            }
            type = defineReceived(name);
            return type != null ? type : super.findClass(name);
        }
    }

    /** The class defined from bytes the master sent, or null when none came for it (or they are defined already). */
    private Class<?> defineReceived(String name) {
        byte[] bytes = received.remove(name.replace('.', '/') + ".class");
        return bytes == null ? null : defineClass(name, bytes, 0, bytes.length, shipped);
    }

    @Override
    public URL findResource(String name) {
        URL url = super.findResource(name);
        if (url == null && fetchQuietly(name)) {
            url = super.findResource(name);
        }
        return url;
    }

    @Override
    public Enumeration<URL> findResources(String name) throws IOException {
        Enumeration<URL> urls = super.findResources(name);
        if (!urls.hasMoreElements() && fetchQuietly(name)) {
            urls = super.findResources(name);
        }
        return urls.hasMoreElements() ? urls : Collections.emptyEnumeration();
    }

    private boolean fetchQuietly(String resource) {
        try {
            return fetchFromMaster(ClassRequest.Kind.RESOURCE, resource);
        } catch (ClassNotFoundException e) {
            return false; // resources have no exception to report it with: not found
        }
    }

    /** Asks the master once for a name; false when it has nothing for it. */
    private boolean fetchFromMaster(ClassRequest.Kind kind, String name) throws ClassNotFoundException {
        Fetcher asker = fetcher;
        if (asker == null || missing.contains(kind + ":" + name)) {
            return false;
        }
        try {
            ClassAnswer answer = asker.fetch(kind, name);
            if (answer instanceof ClassAnswer.Jar jar) {
                addJar(jar.sha256(), jar.bytes());
            } else if (answer instanceof ClassAnswer.Files files) {
                accept(files.files(), Map.of());
            } else {
                missing.add(kind + ":" + name);
                return false;
            }
        } catch (IllegalStateException cannotWait) {
            throw new ClassNotFoundException(name + ": " + cannotWait.getMessage());
        } catch (IOException e) {
            throw new ClassNotFoundException(name + " could not be stored on the worker: " + e.getMessage(), e);
        } catch (Exception e) {
            throw new ClassNotFoundException(name + " could not be fetched from the master: " + e, e);
        }
        return true;
    }

    /** Removes this gateway's shipped files; the shared jar cache stays for the next gateway. */
    public void deleteFiles() {
        try (var paths = Files.walk(filesDir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temp directory left behind is untidy, not wrong
        }
    }
}
