package org.jexecnet.internal.code;

/**
 * Python's {@code textwrap.dedent}, exactly (as CPython 3.8 to 3.13 define it), which execnet applies
 * to source on the master before sending it: so an indented snippet, such as a text block that is
 * indented more than its closing delimiter, runs on a Python worker as it would under execnet.
 *
 * <p>The rules, which differ from {@link String#stripIndent()}: lines are split at {@code \n} only; a
 * line of spaces and tabs alone becomes empty and does not count; the margin is the longest run of
 * spaces and tabs that every other line starts with (a tab and a space are different characters);
 * the margin is removed from each line that starts with it. Nothing else changes: trailing white
 * space, {@code \r} and a missing final newline stay as they are.
 */
public final class Dedent {
    private Dedent() {}

    /**
     * Removes the common leading white space of every line, as {@code textwrap.dedent(text)}.
     *
     * @param text the text
     * @return the dedented text
     */
    public static String dedent(String text) {
        String[] lines = text.split("\n", -1);
        String margin = null;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int indent = indentOf(line);
            if (indent == line.length()) {
                lines[i] = ""; // empty, or spaces and tabs alone: emptied, and no say in the margin
                continue;
            }
            String prefix = line.substring(0, indent);
            if (margin == null || margin.startsWith(prefix)) {
                margin = prefix;
            } else if (!prefix.startsWith(margin)) {
                int common = 0;
                while (margin.charAt(common) == prefix.charAt(common)) {
                    common++;
                }
                margin = margin.substring(0, common);
            }
        }
        if (margin != null && !margin.isEmpty()) {
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].startsWith(margin)) {
                    lines[i] = lines[i].substring(margin.length());
                }
            }
        }
        return String.join("\n", lines);
    }

    /** The number of spaces and tabs a line starts with. */
    private static int indentOf(String line) {
        int i = 0;
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }
}
