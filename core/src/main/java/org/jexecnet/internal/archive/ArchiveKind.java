package org.jexecnet.internal.archive;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/** The two ways a HotSpot JVM keeps what a run loaded for the next one, and the options of each. */
public enum ArchiveKind {
    /**
     * Java 17 to 23: an application class-data archive on top of the JDK's own (dynamic CDS). Made by a run
     * with {@code -XX:ArchiveClassesAtExit} as it exits; used with {@code -XX:SharedArchiveFile}.
     */
    CLASS_DATA("jsa"),
    /**
     * Java 24 and newer: an AOT cache (JEP 483 and on), which holds the classes loaded and linked, and
     * on 25 method profiles too. A run with {@code -XX:AOTMode=record} writes a configuration as it
     * exits, a second JVM with {@code -XX:AOTMode=create} makes the cache from it; used with
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

    /** The options that use the archive when it is valid and carry on without it (saying so on stderr) when it is not. */
    public List<String> useFlags(Path archive) {
        return this == CLASS_DATA ? List.of("-XX:SharedArchiveFile=" + archive) : List.of("-XX:AOTCache=" + archive);
    }

    /** The options that use the archive or refuse to start: for the run that checks a new one. */
    public List<String> strictFlags(Path archive) {
        return this == CLASS_DATA ? List.of("-Xshare:on", "-XX:SharedArchiveFile=" + archive)
                : List.of("-XX:AOTMode=on", "-XX:AOTCache=" + archive);
    }

    /**
     * The options of the training run, which records what it loads into {@code output} as it exits: the
     * archive itself ({@link #CLASS_DATA}), or the configuration to make it from ({@link #AOT_CACHE}).
     */
    public List<String> recordFlags(Path output) {
        return this == CLASS_DATA ? List.of("-XX:ArchiveClassesAtExit=" + output)
                : List.of("-XX:AOTMode=record", "-XX:AOTConfiguration=" + output);
    }

    /** The options of the second step that makes an AOT cache from a recorded configuration; none for {@link #CLASS_DATA}. */
    public List<String> createFlags(Path configuration, Path output) {
        return this == CLASS_DATA ? List.of()
                : List.of("-XX:AOTMode=create", "-XX:AOTConfiguration=" + configuration, "-XX:AOTCache=" + output);
    }

    /** Whether making an archive of this kind takes the second step of {@link #createFlags}. */
    public boolean needsCreateStep() {
        return this == AOT_CACHE;
    }
}
