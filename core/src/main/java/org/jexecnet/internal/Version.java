package org.jexecnet.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version this copy of jexecnet was built as, from the resource {@code version.properties} that the build
 * fills in. A resource rather than the jar's manifest: tests and popen workers also run from a classes
 * directory, which has no manifest.
 */
public final class Version {
    /** What a copy not built by Maven says, e.g. one compiled by an IDE that does not filter resources. */
    static final String UNKNOWN = "(development build)";

    private static final String VERSION = read();

    private Version() {}

    /**
     * This copy's version.
     *
     * @return the version, such as {@code 0.1.0}, or {@code (development build)} when the build did not record it
     */
    public static String current() {
        return VERSION;
    }

    private static String read() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return UNKNOWN;
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "");
            // An unfiltered copy still holds the placeholder.
            return version.isBlank() || version.contains("${") ? UNKNOWN : version.strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read jexecnet's version.properties", e);
        }
    }
}
