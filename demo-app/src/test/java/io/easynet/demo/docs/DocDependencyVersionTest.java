package io.easynet.demo.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * Keeps the Maven coordinates the docs tell readers to add in line with the build: every {@code io.easynet}
 * dependency shown in the README or docs/ must give a version, and it must be the project's (the root pom's), so
 * that a reader who installed this checkout resolves what the page says.
 */
class DocDependencyVersionTest {

    private static final Pattern EASYNET_DEPENDENCY = Pattern.compile(
            "<dependency>\\s*<groupId>io\\.easynet</groupId>\\s*<artifactId>([\\w.-]+)</artifactId>\\s*"
                    + "(?:<version>([^<]*)</version>\\s*)?(?:<[^/][^>]*>[^<]*</[^>]+>\\s*)*</dependency>");

    @Test
    void everyEasynetDependencyInTheDocsGivesTheProjectsVersion() throws Exception {
        String version = projectVersion();
        List<String> found = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        for (Path markdown : DocFiles.markdownFiles()) {
            Matcher dependency = EASYNET_DEPENDENCY.matcher(Files.readString(markdown, StandardCharsets.UTF_8));
            while (dependency.find()) {
                String shown = DocFiles.ROOT.relativize(markdown) + ": " + dependency.group(1);
                found.add(shown);
                if (!version.equals(dependency.group(2))) {
                    wrong.add(shown + " gives version " + dependency.group(2) + ", the project is " + version);
                }
            }
        }
        assertThat(found).as("io.easynet dependencies shown in the docs").contains(
                "docs/getting-started.md: easynet-spring-boot-starter");
        assertThat(wrong).isEmpty();
    }

    private static String projectVersion() throws Exception {
        Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(DocFiles.ROOT.resolve("pom.xml").toFile()).getDocumentElement();
        for (var child = project.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element element && element.getTagName().equals("version")) {
                return element.getTextContent().trim();
            }
        }
        throw new IOException("the root pom.xml has no <version>");
    }
}
