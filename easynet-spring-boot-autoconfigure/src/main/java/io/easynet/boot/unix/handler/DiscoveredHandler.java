package io.easynet.boot.unix.handler;

import java.lang.reflect.Type;

import io.easynet.server.StreamRequestHandler;

/**
 * A handler found in the application context, with what its annotation says and the types it exchanges.
 *
 * @param name the server's name
 * @param source where the handler comes from, for messages: a bean name or a method
 * @param path the socket path the annotation gives, placeholders unresolved; empty when it gives none
 * @param serializer the serializer the annotation names; empty when it names none
 * @param handler the handler to run
 * @param requestType the type requests are decoded to
 * @param responseType the type of the responses sent
 */
public record DiscoveredHandler(String name, String source, String path, String serializer,
        StreamRequestHandler<Object, Object> handler, Type requestType, Type responseType) {
}
