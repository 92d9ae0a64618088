package org.massagetriage.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code name=value} lines of a small clinician-edited file, each with its line number, so that
 * every diagnostic can point at the line (java.util.Properties forgets them). Blank lines and lines
 * starting with {@code #} or {@code !} are comments; {@code :} may stand for {@code =}.
 */
record KeyValueLines(List<Entry> entries, List<Integer> malformedLines) {

    record Entry(String key, String value, int line) {
    }

    static KeyValueLines parse(String content) {
        List<Entry> entries = new ArrayList<>();
        List<Integer> malformed = new ArrayList<>();
        String[] lines = content.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String t = lines[i].strip();
            if (t.isEmpty() || t.startsWith("#") || t.startsWith("!")) {
                continue;
            }
            int eq = t.indexOf('=');
            int colon = t.indexOf(':');
            int sep = eq < 0 ? colon : colon < 0 ? eq : Math.min(eq, colon);
            if (sep <= 0) {
                malformed.add(i + 1);
                continue;
            }
            entries.add(new Entry(t.substring(0, sep).strip(), t.substring(sep + 1).strip(), i + 1));
        }
        return new KeyValueLines(List.copyOf(entries), List.copyOf(malformed));
    }
}
