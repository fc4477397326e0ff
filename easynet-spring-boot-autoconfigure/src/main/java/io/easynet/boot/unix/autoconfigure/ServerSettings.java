package io.easynet.boot.unix.autoconfigure;

import java.nio.file.Path;

import io.easynet.server.ServerOptions;

/**
 * The settings of a server that runs, once its properties, its annotation and the defaults are merged.
 *
 * @param path the socket path
 * @param serializer the serializer's name, and where it was given
 * @param options the core options
 */
record ServerSettings(Path path, ConfiguredValue<String> serializer, ServerOptions options) {
}
