package org.jexecnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * What {@code mvn install} leaves for Maven Central, checked after the core jar is packaged (failsafe's
 * integration-test phase): the jar, its sources and Javadoc jars, a reproducible build, the version inside, and
 * poms with everything Central requires. The build passes the paths and expected values as system properties.
 */
class PublishedArtifactsIT {
    private static final String VERSION = property("jexecnet.version");
    private static final Path BASE = Path.of(property("artifact.base"));
    private static final Path MODULE_POM = Path.of(property("module.pom"));
    private static final Path ROOT = MODULE_POM.getParent().getParent();

    private static String property(String name) {
        String value = System.getProperty(name);
        assertNotNull(value, "the build passes the system property " + name);
        return value;
    }

    private static Path artifact(String classifier) {
        Path jar = Path.of(BASE + (classifier.isEmpty() ? "" : "-" + classifier) + ".jar");
        assertTrue(Files.isRegularFile(jar), jar + " was not built");
        return jar;
    }

    private static List<String> names(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().map(JarEntry::getName).toList();
        }
    }

    /** The public types of the exported package, by the classes in the jar: Gateway, Channel, ... */
    private static List<String> publicTypes() throws IOException {
        return names(artifact("")).stream()
                .filter(name -> name.matches("org/jexecnet/[A-Za-z0-9]+\\.class"))
                .map(name -> name.substring("org/jexecnet/".length(), name.length() - ".class".length()))
                .toList();
    }

    @Test
    void theJarKnowsItsVersionAndShipsAloneBelowOneMebibyte() throws IOException {
        Path jar = artifact("");
        assertTrue(Files.size(jar) < 1 << 20, jar + " is " + Files.size(jar) + " bytes: it ships to every remote host");
        try (JarFile file = new JarFile(jar.toFile())) {
            assertNotNull(file.getEntry("module-info.class"), "a named module, org.jexecnet");
            Properties version = new Properties();
            try (InputStream in = file.getInputStream(file.getEntry("org/jexecnet/internal/version.properties"))) {
                version.load(in);
            }
            assertEquals(VERSION, version.getProperty("version"), "the filtered version.properties");
            Manifest manifest = file.getManifest();
            assertEquals(VERSION, manifest.getMainAttributes().getValue("Implementation-Version"));
            assertEquals("org.jexecnet.internal.Main", manifest.getMainAttributes().getValue("Main-Class"));
        }
    }

    @Test
    void everyEntryOfEveryJarHasTheFixedTimestampSoBuildsAreReproducible() throws Exception {
        String configured = rootProperty("project.build.outputTimestamp");
        long expected = Instant.parse(configured).toEpochMilli();
        for (String classifier : List.of("", "sources", "javadoc")) {
            try (JarFile file = new JarFile(artifact(classifier).toFile())) {
                for (JarEntry entry : file.stream().toList()) {
                    // Zip stores local time in 2-second steps, written and read here in the same time zone.
                    long time = entry.getLastModifiedTime().toMillis();
                    assertTrue(Math.abs(time - expected) <= 2000, entry.getName() + " of the "
                            + (classifier.isEmpty() ? "main" : classifier) + " jar has time " + entry.getLastModifiedTime()
                            + ", not " + configured);
                }
            }
        }
    }

    @Test
    void theSourcesJarHoldsTheSourceOfEveryPublicType() throws IOException {
        List<String> sources = names(artifact("sources"));
        assertTrue(sources.contains("module-info.java"), "module-info.java");
        List<String> types = publicTypes();
        assertTrue(types.contains("Gateway") && types.size() > 20, types.toString());
        for (String type : types) {
            if (!type.contains("$")) {
                assertTrue(sources.contains("org/jexecnet/" + type + ".java"), type + ".java in the sources jar");
            }
        }
    }

    @Test
    void theJavadocJarDocumentsTheExportedPackageOnly() throws IOException {
        List<String> pages = names(artifact("javadoc"));
        assertTrue(pages.contains("index.html"), "index.html");
        for (String type : publicTypes()) {
            String page = "org.jexecnet/org/jexecnet/" + type.replace('$', '.') + ".html";
            assertTrue(pages.contains(page), page + " in the javadoc jar");
        }
        assertFalse(pages.stream().anyMatch(page -> page.contains("/internal/")), "internal packages are not documented");
    }

    @Test
    void thePomsSayWhatMavenCentralRequires() throws Exception {
        Document module = parse(MODULE_POM);
        Document parent = parse(ROOT.resolve("pom.xml"));
        assertEquals("jexecnet", text(module, "artifactId"));
        assertEquals("org.jexecnet", text(parent, "groupId"));
        for (String element : List.of("name", "description")) {
            assertFalse(text(module, element).isBlank(), "the core pom's own " + element);
        }
        // The rest is inherited from the parent, which is published beside it.
        for (String path : List.of("url", "licenses/license/name", "licenses/license/url", "developers/developer/name",
                "scm/connection", "scm/developerConnection", "scm/url")) {
            String value = text(module, path).isBlank() ? text(parent, path) : text(module, path);
            assertFalse(value.isBlank(), path + " in the core pom or its parent");
        }
        assertEquals("false", parent.getDocumentElement().getAttribute("child.project.url.inherit.append.path"),
                "the core's URL is the project's, not the project's with /jexecnet appended");
    }

    @Test
    void everyPluginTheModulesNameIsPinnedInThePluginManagement() throws Exception {
        Document parent = parse(ROOT.resolve("pom.xml"));
        List<String> pinned = new ArrayList<>();
        for (Element plugin : elements(parent, "build/pluginManagement/plugins/plugin")) {
            assertFalse(text(plugin, "version").isBlank(), text(plugin, "artifactId") + " has a version");
            pinned.add(text(plugin, "artifactId"));
        }
        for (String module : List.of("pom.xml", "core/pom.xml", "examples/pom.xml", "cli/pom.xml", "bench/pom.xml")) {
            Path pom = ROOT.resolve(module);
            if (!Files.exists(pom)) {
                continue; // a module of another branch
            }
            for (Element plugin : elements(parse(pom), "build/plugins/plugin")) {
                String id = text(plugin, "artifactId");
                assertTrue(pinned.contains(id) || !text(plugin, "version").isBlank(), module + " uses " + id + " without a pinned version");
            }
        }
    }

    private static String rootProperty(String name) throws Exception {
        return text(parse(ROOT.resolve("pom.xml")), "properties/" + name);
    }

    private static Document parse(Path pom) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    }

    private static String text(Document pom, String path) {
        return text(pom.getDocumentElement(), path);
    }

    /** The text of the element at a slash-separated path of child names below the given one, or "" when absent. */
    private static String text(Element from, String path) {
        List<Element> found = elements(from, path);
        return found.isEmpty() ? "" : found.get(0).getTextContent().strip();
    }

    private static List<Element> elements(Document pom, String path) {
        return elements(pom.getDocumentElement(), path);
    }

    private static List<Element> elements(Element from, String path) {
        List<Element> current = List.of(from);
        for (String name : path.split("/")) {
            List<Element> next = new ArrayList<>();
            for (Element element : current) {
                NodeList children = element.getChildNodes();
                for (int i = 0; i < children.getLength(); i++) {
                    Node child = children.item(i);
                    if (child instanceof Element e && e.getTagName().equals(name)) {
                        next.add(e);
                    }
                }
            }
            current = next;
        }
        return current;
    }
}
