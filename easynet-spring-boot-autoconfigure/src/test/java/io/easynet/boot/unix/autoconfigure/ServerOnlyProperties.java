package io.easynet.boot.unix.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.DocTrees;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import org.jspecify.annotations.Nullable;

/**
 * The settings only a server takes ({@code path}, {@code inherit}), read from the fields of
 * {@link EasynetUnixProperties.Server} in its source: the configuration processor describes the properties of a
 * map's values nowhere, so their field Javadoc is the only description there is, and the default it states the only
 * default.
 */
final class ServerOnlyProperties {

    private static final Pattern STATED_DEFAULT = Pattern.compile("Default: (\\S+)\\.$");

    private ServerOnlyProperties() {
    }

    /**
     * Each field of {@code Server}, in source order, as a property with its type and Javadoc.
     *
     * @throws IllegalStateException naming the field if it has no Javadoc
     */
    static List<ConfigurationReference.Property> read(Path propertiesSource) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            JavacTask task = (JavacTask) javac.getTask(null, files, null, List.of("-proc:none"), null,
                    files.getJavaFileObjects(propertiesSource));
            DocTrees trees = DocTrees.instance(task);
            List<ConfigurationReference.Property> properties = new ArrayList<>();
            new TreePathScanner<Void, Void>() {

                @Override
                public Void visitClass(ClassTree type, Void unused) {
                    if (!type.getSimpleName().contentEquals("Server")) {
                        return super.visitClass(type, unused);
                    }
                    for (Tree member : type.getMembers()) {
                        if (member instanceof VariableTree field) {
                            String javadoc = trees.getDocComment(new TreePath(getCurrentPath(), field));
                            if (javadoc == null) {
                                throw new IllegalStateException("Server." + field.getName() + " has no Javadoc, "
                                        + "which is the description of its property");
                            }
                            String description = javadoc.strip().replaceAll("\\s+", " ");
                            properties.add(new ConfigurationReference.Property(kebabCase(field.getName().toString()),
                                    field.getType().toString(), statedDefault(description), description));
                        }
                    }
                    return null;
                }
            }.scan(task.parse(), null);
            return properties;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value of a description's closing "Default: value.", if it is a single word. */
    private static @Nullable String statedDefault(String description) {
        Matcher matcher = STATED_DEFAULT.matcher(description);
        return matcher.find() ? matcher.group(1) : null;
    }

    private static String kebabCase(String camelCase) {
        return camelCase.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
