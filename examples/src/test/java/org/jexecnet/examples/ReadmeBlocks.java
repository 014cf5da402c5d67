package org.jexecnet.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The ```java blocks of the repository's README.md, each with the README line it starts on. */
final class ReadmeBlocks {
    /** What a block is, by its first line of code. */
    enum Kind { MODULE, TYPE, STATEMENTS }

    /** One block: its lines, and the README line number of the first. */
    record Block(int firstLine, List<String> lines) {
        /** By the first line of code after the imports: a module, a type (a file of its own), or statements. */
        Kind kind() {
            String first = lines.stream().map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("import ") && !line.startsWith("//") && !line.startsWith("/*")
                            && !line.startsWith("*") && !line.startsWith("@"))
                    .findFirst().orElse("");
            if (first.startsWith("module ")) {
                return Kind.MODULE;
            }
            return first.matches("(public |final |abstract )*(class|record|interface|enum) \\w+.*") ? Kind.TYPE : Kind.STATEMENTS;
        }

        List<String> imports() {
            return lines.stream().filter(line -> line.startsWith("import ")).toList();
        }

        /** The lines after the imports, import lines blanked so that line numbers stay the README's. */
        List<String> body() {
            return lines.stream().map(line -> line.startsWith("import ") ? "" : line).toList();
        }

        String text() {
            return String.join("\n", lines) + "\n";
        }
    }

    private ReadmeBlocks() {}

    static Path readme() {
        String path = System.getProperty("readme");
        if (path == null) {
            throw new IllegalStateException("the build passes the README's path as the system property readme");
        }
        return Path.of(path);
    }

    static List<Block> java() throws IOException {
        List<String> lines = Files.readAllLines(readme());
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals("```java")) {
                int first = i + 1;
                int end = first;
                while (end < lines.size() && !lines.get(end).strip().equals("```")) {
                    end++;
                }
                blocks.add(new Block(first + 1, List.copyOf(lines.subList(first, end))));
                i = end;
            }
        }
        return blocks;
    }

    static Block moduleDeclaration() throws IOException {
        List<Block> modules = java().stream().filter(block -> block.kind() == Kind.MODULE).toList();
        if (modules.size() != 1) {
            throw new IllegalStateException("README.md should show one module-info.java, not " + modules.size());
        }
        return modules.get(0);
    }
}
