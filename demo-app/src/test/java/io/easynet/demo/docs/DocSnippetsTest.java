package io.easynet.demo.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the docs' code samples equal to the compiled, tested sources they are taken from (see {@link DocSnippets}
 * for the convention). {@code -Dupdate.docs=true} rewrites the blocks that differ instead of failing on them.
 */
class DocSnippetsTest {

    @Test
    void everySnippetInTheDocsEqualsItsRegionAndEveryJavaOrYamlBlockIsASnippetOrOptsOut() throws IOException {
        boolean update = Boolean.getBoolean("update.docs");
        DocSnippets snippets = new DocSnippets(DocFiles.ROOT);
        List<DocSnippets.Problem> problems = new ArrayList<>();
        for (Path markdown : DocFiles.markdownFiles()) {
            List<DocSnippets.Problem> found = new ArrayList<>();
            String updated = snippets.check(markdown, found);
            if (update && !updated.equals(Files.readString(markdown, StandardCharsets.UTF_8))) {
                Files.writeString(markdown, updated, StandardCharsets.UTF_8);
                found.removeIf(problem -> problem.message().startsWith("differs from"));
            }
            problems.addAll(found);
        }
        assertThat(problems).as("doc snippets out of line with their sources").isEmpty();
    }

    @Test
    void aBlockThatDiffersFromItsRegionIsReportedAndRewrittenWithoutTheRegionsIndentOrNestedTags(@TempDir Path root)
            throws IOException {
        Files.writeString(root.resolve("Sample.java"), """
                class Sample {
                    // tag::outer[]
                    void run() {
                        // tag::inner[]
                        go();
                        // end::inner[]
                    }
                    // end::outer[]
                }
                """);
        Path markdown = root.resolve("doc.md");
        Files.writeString(markdown, """
                Text.

                <!-- snippet: Sample.java#outer -->
                ```java
                void run() { stale(); }
                ```

                <!-- snippet: Sample.java#inner -->
                ```java
                go();
                ```
                """);
        List<DocSnippets.Problem> problems = new ArrayList<>();

        String updated = new DocSnippets(root).check(markdown, problems);

        assertThat(problems).extracting(DocSnippets.Problem::toString)
                .containsExactly("doc.md:4: differs from Sample.java#outer (run with -Dupdate.docs=true to copy the "
                        + "region in)");
        assertThat(updated).contains("""
                <!-- snippet: Sample.java#outer -->
                ```java
                void run() {
                    go();
                }
                ```
                """);
    }

    @Test
    void missingFilesMissingRegionsAndUnmarkedJavaBlocksAreReportedButOptedOutAndShellBlocksAreNot(
            @TempDir Path root) throws IOException {
        Files.writeString(root.resolve("Sample.java"), "// tag::a[]\nx();\n// end::a[]\n");
        Path markdown = root.resolve("doc.md");
        Files.writeString(markdown, """
                <!-- snippet: Gone.java#a -->
                ```java
                x();
                ```
                <!-- snippet: Sample.java#b -->
                ```java
                x();
                ```
                ```java
                unmarked();
                ```
                <!-- snippet: none -->
                ```java
                void signature();
                ```
                ```sh
                echo fine
                ```
                """);
        List<DocSnippets.Problem> problems = new ArrayList<>();

        new DocSnippets(root).check(markdown, problems);

        assertThat(problems).extracting(DocSnippets.Problem::toString).containsExactly(
                "doc.md:1: snippet source Gone.java does not exist",
                "doc.md:5: snippet source Sample.java has no region 'b' (lines with tag::b[] and end::b[])",
                "doc.md:9: ```java block without a snippet marker: put <!-- snippet: <path>#<region> --> "
                        + "(or <!-- snippet: none -->) right above it");
    }
}
