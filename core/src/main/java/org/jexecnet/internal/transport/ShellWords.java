package org.jexecnet.internal.transport;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command into words by POSIX shell rules, as Python's {@code shlex.split} does and as
 * execnet splits {@code python=}: so {@code python=/opt/my\ env/bin/python} and
 * {@code python="/opt/my env/bin/python" -X dev} name a program whose path has a space.
 *
 * <p>White space (space, tab, {@code \r}, {@code \n}) separates words; single quotes keep everything
 * literally; double quotes keep everything but a backslash before {@code "} or {@code \}; outside
 * quotes a backslash keeps the next character literally. Quoted parts join the word around them, and
 * {@code ''} is an empty word. {@code #} is an ordinary character, as in {@code shlex.split}.
 */
public final class ShellWords {
    private ShellWords() {}

    /**
     * The words of a command.
     *
     * @param command the command text
     * @return the words, possibly none
     * @throws IllegalArgumentException when a quote is not closed or the text ends in a lone
     *     backslash, naming which
     */
    public static List<String> split(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        while (i < command.length()) {
            char c = command.charAt(i++);
            switch (c) {
                case ' ', '\t', '\r', '\n' -> {
                    if (inWord) {
                        words.add(word.toString());
                        word.setLength(0);
                        inWord = false;
                    }
                }
                case '\'' -> {
                    int close = command.indexOf('\'', i);
                    if (close < 0) {
                        throw unclosed("single", command);
                    }
                    word.append(command, i, close);
                    i = close + 1;
                    inWord = true;
                }
                case '"' -> {
                    i = doubleQuoted(command, i, word);
                    inWord = true;
                }
                case '\\' -> {
                    if (i == command.length()) {
                        throw new IllegalArgumentException("'" + command + "' ends in a backslash that escapes nothing");
                    }
                    word.append(command.charAt(i++));
                    inWord = true;
                }
                default -> {
                    word.append(c);
                    inWord = true;
                }
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** Appends a double-quoted part that starts at {@code from}; returns the index after its closing quote. */
    private static int doubleQuoted(String command, int from, StringBuilder word) {
        int i = from;
        while (i < command.length()) {
            char c = command.charAt(i++);
            if (c == '"') {
                return i;
            }
            if (c == '\\' && i < command.length() && (command.charAt(i) == '"' || command.charAt(i) == '\\')) {
                c = command.charAt(i++);
            }
            word.append(c);
        }
        throw unclosed("double", command);
    }

    private static IllegalArgumentException unclosed(String kind, String command) {
        return new IllegalArgumentException("'" + command + "' has a " + kind + " quote that is not closed");
    }
}
