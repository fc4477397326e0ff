package io.easynet.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Creates the directory the demo's sockets go in ({@code easynet.demo.dir}) when the context starts, before the
 * servers bind there, since a server refuses a path whose directory is missing.
 */
@Component
class DemoDirectory {

    DemoDirectory(@Value("${easynet.demo.dir}") Path directory) throws IOException {
        Files.createDirectories(directory);
    }
}
