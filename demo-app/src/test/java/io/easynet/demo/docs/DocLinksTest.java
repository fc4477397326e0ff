package io.easynet.demo.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keeps every relative link and anchor of the README and docs/ pointing at something (see {@link DocLinks}). */
class DocLinksTest {

    @Test
    void everyRelativeLinkOfTheDocsNamesAFileThatExistsAndEveryAnchorAHeadingOfIt() throws IOException {
        DocLinks links = new DocLinks(DocFiles.ROOT);
        List<DocSnippets.Problem> problems = new ArrayList<>();
        for (Path markdown : DocFiles.markdownFiles()) {
            links.check(markdown, problems);
        }
        assertThat(problems).as("broken links in the docs").isEmpty();
    }

    @Test
    void missingFilesAndUnknownAnchorsAreReportedButWebLinksCodeAndDuplicateHeadingsAreNot(@TempDir Path root)
            throws IOException {
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/other.md"), """
                # Other page
                ## The `easynet` endpoint: GET /actuator/easynet
                ## Step
                ## Step
                ```sh
                # not a heading
                ```
                """);
        Path markdown = root.resolve("docs/page.md");
        Files.writeString(markdown, """
                # Page
                [ok](other.md) [ok](other.md#the-easynet-endpoint-get-actuatoreasynet) [ok](other.md#step-1)
                [ok](#page) [ok](../docs) [web](https://example.com/x#y) `[code](gone.md)`
                [gone](gone.md)
                [bad anchor](other.md#not-a-heading)
                [bad anchor](#other-page)
                ```md
                [in a block](gone.md)
                ```
                """);
        List<DocSnippets.Problem> problems = new ArrayList<>();

        new DocLinks(root).check(markdown, problems);

        assertThat(problems).extracting(DocSnippets.Problem::toString).containsExactly(
                "docs/page.md:4: link to gone.md: no such file",
                "docs/page.md:5: link to other.md#not-a-heading: docs/other.md has no heading with anchor "
                        + "#not-a-heading",
                "docs/page.md:6: link to #other-page: docs/page.md has no heading with anchor #other-page");
    }
}
