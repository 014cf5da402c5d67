package org.jexecnet.cli;

import java.io.Console;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether the command's output goes to a terminal, and whether to color it: a progress bar redrawn
 * with carriage returns, and colors, belong on a terminal only; a file or a pipe gets plain lines.
 * Colors follow <a href="https://no-color.org">NO_COLOR</a> and a {@code dumb} terminal too.
 */
final class Terminal {
    private Terminal() {}

    static final int STDOUT = 1;
    static final int STDERR = 2;

    private static final String RESET = "\u001b[0m";
    static final String BOLD_RED = "\u001b[1;31m";
    static final String CYAN = "\u001b[36m";
    static final String DIM = "\u001b[2m";

    /**
     * Whether a descriptor of this process is a terminal. On Linux, /proc says so for each descriptor;
     * elsewhere the JDK's console stands for stdout and stderr alike (on Java 22+ only when
     * {@code Console.isTerminal()} says so, since there every JVM has a console).
     */
    static boolean isTerminal(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            Console console = System.console();
            if (console == null) {
                return false;
            }
            try {
                Method isTerminal = Console.class.getMethod("isTerminal");
                return (Boolean) isTerminal.invoke(console);
            } catch (ReflectiveOperationException olderJdk) {
                return true; // before Java 22, a console exists only on a terminal
            }
        }
    }

    /** Whether to color what goes to a descriptor: a terminal that is not dumb, and NO_COLOR unset or empty. */
    static boolean colors(int fd) {
        String noColor = System.getenv("NO_COLOR");
        return (noColor == null || noColor.isEmpty()) && !"dumb".equals(System.getenv("TERM")) && isTerminal(fd);
    }

    /** The text in a color (an ANSI SGR sequence), or as it is when {@code on} is false. */
    static String paint(String text, String color, boolean on) {
        return on ? color + text + RESET : text;
    }
}
