package io.easynet.demo.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The docs' snippet convention: a fenced code block right after a line {@code <!-- snippet: path#region -->} must
 * equal the lines of {@code path} (relative to the repository root) between the lines holding {@code tag::region[]}
 * and {@code end::region[]}, without their common indentation, so that no sample in the docs is code that was never
 * compiled or run. {@code <!-- snippet: none -->} marks a block that is deliberately not a snippet.
 */
final class DocSnippets {

    /**
     * The languages whose code blocks must say where they come from (or opt out): our own code and configuration.
     * Other blocks (shell commands, JSON output, Python peers quoted from EasyNetwork) may still be snippets.
     */
    static final Set<String> CHECKED_LANGUAGES = Set.of("java", "yaml");

    private static final Pattern MARKER = Pattern.compile("^<!-- snippet: (\\S+?)(?:#(\\S+))? -->$");

    private static final Pattern TAG_LINE = Pattern.compile("(tag|end)::[\\w.-]+\\[]");

    private final Path root;

    DocSnippets(Path root) {
        this.root = root;
    }

    /** A problem with one code block of one Markdown file, at a 1-based line. */
    record Problem(Path file, int line, String message) {

        @Override
        public String toString() {
            return file + ":" + line + ": " + message;
        }
    }

    /**
     * Checks {@code markdown} and returns its text with every snippet block replaced by its region, collecting the
     * problems found (a changed text means at least one block differed).
     */
    String check(Path markdown, List<Problem> problems) throws IOException {
        List<String> lines = Files.readAllLines(markdown, StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>(lines.size());
        Path shown = root.relativize(markdown);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            out.add(line);
            if (!line.startsWith("```") || line.equals("```")) {
                continue;
            }
            String language = line.substring(3).trim();
            int close = closingFence(lines, i);
            if (close < 0) {
                problems.add(new Problem(shown, i + 1, "code block never closed"));
                return String.join("\n", lines) + "\n";
            }
            List<String> body = lines.subList(i + 1, close);
            Matcher marker = i > 0 ? MARKER.matcher(lines.get(i - 1)) : MARKER.matcher("");
            if (!marker.matches()) {
                if (CHECKED_LANGUAGES.contains(language)) {
                    problems.add(new Problem(shown, i + 1, "```" + language + " block without a snippet marker: "
                            + "put <!-- snippet: <path>#<region> --> (or <!-- snippet: none -->) right above it"));
                }
                out.addAll(body);
            } else if (marker.group(1).equals("none") && marker.group(2) == null) {
                out.addAll(body);
            } else {
                List<String> region = region(marker.group(1), marker.group(2), shown, i, problems);
                if (region == null) {
                    out.addAll(body);
                } else {
                    if (!region.equals(body)) {
                        problems.add(new Problem(shown, i + 1, "differs from " + marker.group(1) + "#"
                                + marker.group(2) + " (run with -Dupdate.docs=true to copy the region in)"));
                    }
                    out.addAll(region);
                }
            }
            out.add(lines.get(close));
            i = close;
        }
        return String.join("\n", out) + "\n";
    }

    private static int closingFence(List<String> lines, int open) {
        for (int j = open + 1; j < lines.size(); j++) {
            if (lines.get(j).equals("```")) {
                return j;
            }
        }
        return -1;
    }

    private List<String> region(String path, String name, Path markdown, int line, List<Problem> problems)
            throws IOException {
        if (name == null) {
            problems.add(new Problem(markdown, line, "snippet marker without a #region: " + path));
            return null;
        }
        Path source = root.resolve(path).normalize();
        if (!source.startsWith(root) || !Files.isRegularFile(source)) {
            problems.add(new Problem(markdown, line, "snippet source " + path + " does not exist"));
            return null;
        }
        List<String> lines = Files.readAllLines(source, StandardCharsets.UTF_8);
        int start = indexOf(lines, "tag::" + name + "[]", 0);
        int end = start < 0 ? -1 : indexOf(lines, "end::" + name + "[]", start + 1);
        if (start < 0 || end < 0) {
            problems.add(new Problem(markdown, line, "snippet source " + path + " has no region '" + name
                    + "' (lines with tag::" + name + "[] and end::" + name + "[])"));
            return null;
        }
        List<String> region = new ArrayList<>();
        for (String regionLine : lines.subList(start + 1, end)) {
            if (!TAG_LINE.matcher(regionLine).find()) {
                region.add(regionLine);
            }
        }
        return dedent(region);
    }

    private static int indexOf(List<String> lines, String text, int from) {
        for (int i = from; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> dedent(List<String> lines) {
        int indent = lines.stream().filter(l -> !l.isBlank()).mapToInt(DocSnippets::indentOf).min().orElse(0);
        return lines.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList();
    }

    private static int indentOf(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i;
    }
}
