package org.jexecnet.internal.archive;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/** The two ways a HotSpot JVM keeps what a run loaded for the next one, and the options of each. */
public enum ArchiveKind {
    /**
     * Java 17 to 23: a static application class-data archive (AppCDS) in place of the JDK's own. A run
     * with {@code -XX:DumpLoadedClassList} lists the classes it loads, a second JVM with
     * {@code -Xshare:dump} archives just those; used with {@code -XX:SharedArchiveFile}. Holding only
     * what a worker loads (the JDK's default archive holds some 1,300 classes a worker does not need,
     * and lacks jexecnet's), it starts workers quicker and, since every page of an archive is touched
     * when the JVM maps it at a randomized address, leaves them some 4 MB smaller than the JDK's archive
     * with a dynamic one on top would ({@code -XX:ArchiveClassesAtExit}: measured in docs/performance.md).
     */
    CLASS_DATA("jsa"),
    /**
     * Java 24 and newer: an AOT cache (JEP 483 and on), which holds the classes loaded and linked, and
     * on 25 method profiles too: a static archive too, in place of the JDK's. A run with
     * {@code -XX:AOTMode=record} writes a configuration as it exits, a second JVM with
     * {@code -XX:AOTMode=create} makes the cache from it; used with
     * {@code -XX:AOTCache}. ({@code -Xshare:auto} must not be given beside these options.)
     */
    AOT_CACHE("aot");

    /**
     * What a JVM says on stderr, as it starts, when it cannot use an archive: {@code [warning][cds...]},
     * {@code [error  ][aot]}. Java 24 still says {@code cds} where 25 says {@code aot}.
     */
    static final Pattern COMPLAINT = Pattern.compile("^\\[[0-9.]+s\\]\\[(warning|error) *\\]\\[(cds|aot)[],].*(\\R|$)",
            Pattern.MULTILINE);

    private final String extension;

    ArchiveKind(String extension) {
        this.extension = extension;
    }

    /** The file name extension of an archive of this kind. */
    public String extension() {
        return extension;
    }

    /**
     * The options that make a JVM use the archive, or refuse to start, saying why: one that carried on
     * without it, as it would by default, would say nothing of a stale archive (a jar that changed, say)
     * and start without any archive at all, not even the JDK's.
     */
    public List<String> useFlags(Path archive) {
        return this == CLASS_DATA ? List.of("-Xshare:on", "-XX:SharedArchiveFile=" + archive)
                : List.of("-XX:AOTMode=on", "-XX:AOTCache=" + archive);
    }

    /**
     * The options of the training run, which records what it loads into {@code output}: the class list
     * ({@link #CLASS_DATA}) or the AOT configuration ({@link #AOT_CACHE}) that the second step makes the
     * archive from.
     */
    public List<String> recordFlags(Path output) {
        return this == CLASS_DATA ? List.of("-XX:DumpLoadedClassList=" + output)
                : List.of("-XX:AOTMode=record", "-XX:AOTConfiguration=" + output);
    }

    /** The options of the second step, a JVM that makes the archive {@code output} from what the training run recorded and exits. */
    public List<String> createFlags(Path recorded, Path output) {
        return this == CLASS_DATA ? List.of("-Xshare:dump", "-XX:SharedClassListFile=" + recorded, "-XX:SharedArchiveFile=" + output)
                : List.of("-XX:AOTMode=create", "-XX:AOTConfiguration=" + recorded, "-XX:AOTCache=" + output);
    }
}
