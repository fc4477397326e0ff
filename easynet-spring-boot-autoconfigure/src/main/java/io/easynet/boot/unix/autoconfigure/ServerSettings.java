package io.easynet.boot.unix.autoconfigure;

import java.nio.file.Path;

import io.easynet.server.ServerOptions;

import org.jspecify.annotations.Nullable;

/**
 * One server's settings once its properties, its annotation and the defaults are merged.
 *
 * @param enabled whether the server runs
 * @param path the socket path; {@code null} only for a disabled server
 * @param serializer the serializer's name, as configured
 * @param serializerProperty the property or annotation the serializer comes from, for messages
 * @param options the core options
 */
record ServerSettings(boolean enabled, @Nullable Path path, String serializer, String serializerProperty,
        ServerOptions options) {
}
