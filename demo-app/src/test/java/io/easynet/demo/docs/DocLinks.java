package io.easynet.demo.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the relative links of Markdown pages as GitHub renders them: {@code [text](path)} must name a file or
 * directory that exists, and {@code [text](path#anchor)} or {@code [text](#anchor)} a heading of that page, whose
 * anchor GitHub derives from its text. Links with a scheme ({@code https:}, {@code mailto:}) are not followed, and
 * code (fenced blocks and inline spans) holds no links.
 */
final class DocLinks {

    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");

    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)(?:\\s+#+)?\\s*$");

    private static final Pattern INLINE_CODE = Pattern.compile("(`+)(.+?)\\1");

    private final Path root;

    private final Map<Path, Set<String>> anchors = new HashMap<>();

    DocLinks(Path root) {
        this.root = root;
    }

    /** Adds a problem for each link of {@code markdown} whose file or heading does not exist. */
    void check(Path markdown, List<DocSnippets.Problem> problems) throws IOException {
        Path shown = root.relativize(markdown);
        List<String> lines = Files.readAllLines(markdown, StandardCharsets.UTF_8);
        boolean fenced = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            if (fenced) {
                continue;
            }
            Matcher link = LINK.matcher(INLINE_CODE.matcher(line).replaceAll(""));
            while (link.find()) {
                String problem = problem(markdown, link.group(1));
                if (problem != null) {
                    problems.add(new DocSnippets.Problem(shown, i + 1, problem));
                }
            }
        }
    }

    private String problem(Path markdown, String target) throws IOException {
        if (SCHEME.matcher(target).find()) {
            return null;
        }
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        Path resolved = file.isEmpty() ? markdown : markdown.getParent().resolve(file).normalize();
        if (!resolved.startsWith(root) || !Files.exists(resolved)) {
            return "link to " + target + ": no such file";
        }
        if (hash < 0) {
            return null;
        }
        String anchor = target.substring(hash + 1);
        if (!resolved.toString().endsWith(".md")) {
            return "link to " + target + ": an anchor into a file that is not Markdown";
        }
        if (!anchorsOf(resolved).contains(anchor)) {
            return "link to " + target + ": " + root.relativize(resolved) + " has no heading with anchor #" + anchor;
        }
        return null;
    }

    private Set<String> anchorsOf(Path markdown) throws IOException {
        Set<String> known = anchors.get(markdown);
        if (known == null) {
            known = new HashSet<>();
            Map<String, Integer> seen = new HashMap<>();
            boolean fenced = false;
            for (String line : Files.readAllLines(markdown, StandardCharsets.UTF_8)) {
                if (line.startsWith("```")) {
                    fenced = !fenced;
                }
                Matcher heading = HEADING.matcher(line);
                if (!fenced && heading.matches()) {
                    String slug = slug(heading.group(1));
                    int count = seen.merge(slug, 1, Integer::sum);
                    known.add(count == 1 ? slug : slug + "-" + (count - 1));
                }
            }
            anchors.put(markdown, known);
        }
        return known;
    }

    /**
     * GitHub's anchor for a heading: its text without Markdown (code spans keep their content, links their text),
     * lower-cased, with every character other than a letter, digit, underscore, hyphen or space dropped, and spaces
     * made hyphens.
     */
    static String slug(String heading) {
        String text = heading.replaceAll("\\[([^\\]]*)]\\([^)]*\\)", "$1").replaceAll("<[^>]+>", "");
        return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{M}\\p{N}\\p{Pc} -]", "").replace(' ', '-');
    }
}
