package io.easynet.boot.unix.autoconfigure;

import java.lang.reflect.Type;

import io.easynet.boot.unix.handler.DiscoveredHandler;
import io.easynet.protocol.StreamProtocol;
import io.easynet.protocol.StreamSerializer;
import io.easynet.serializer.JsonSerializer;
import io.easynet.serializer.LengthPrefixedSerializer;
import io.easynet.serializer.LineSerializer;
import io.easynet.serializer.RawSerializer;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.ResolvableType;

/**
 * Makes the protocol a server speaks from its {@code serializer} setting: a built-in serializer bound to the
 * handler's request and response types, or a {@link StreamSerializer} or {@link StreamProtocol} bean. JSON uses
 * the application's {@link JsonMapper}, so Jackson customizations apply to the server's documents too.
 */
final class ServerProtocols {

    private static final String CHOICES = "json, line, length-prefixed, raw, or the name of a StreamSerializer or "
            + "StreamProtocol bean";

    private final BeanFactory beanFactory;

    private final JsonMapper jsonMapper;

    ServerProtocols(BeanFactory beanFactory, JsonMapper jsonMapper) {
        this.beanFactory = beanFactory;
        this.jsonMapper = jsonMapper;
    }

    /**
     * The protocol {@code settings} name for {@code handler}.
     *
     * @throws InvalidConfigurationPropertyValueException if the serializer is unknown, or does not produce the
     *     handler's request type or accept its response type
     */
    StreamProtocol<Object, Object> protocol(DiscoveredHandler handler, ServerSettings settings) {
        String serializer = settings.serializer();
        return switch (serializer) {
            case "json" -> json(handler.requestType(), handler.responseType());
            case "line" -> builtIn(handler, settings, String.class, new LineSerializer());
            case "length-prefixed" -> builtIn(handler, settings, byte[].class, LengthPrefixedSerializer.INSTANCE);
            case "raw" -> builtIn(handler, settings, byte[].class, RawSerializer.INSTANCE);
            default -> bean(settings);
        };
    }

    private StreamProtocol<Object, Object> json(Type requestType, Type responseType) {
        JsonSerializer<Object> decoder = JsonSerializer.builder(requestType).mapper(jsonMapper).build();
        JsonSerializer<Object> encoder = requestType.equals(responseType) ? decoder
                : JsonSerializer.builder(responseType).mapper(jsonMapper).build();
        return StreamProtocol.of(encoder, decoder);
    }

    @SuppressWarnings("unchecked")
    private static <T> StreamProtocol<Object, Object> builtIn(DiscoveredHandler handler, ServerSettings settings,
            Class<T> packetType, StreamSerializer<T> serializer) {
        if (!ResolvableType.forType(handler.requestType()).isAssignableFrom(packetType)) {
            throw invalid(settings, "it decodes requests as " + packetType.getSimpleName() + ", but "
                    + handler.source() + " takes " + handler.requestType().getTypeName());
        }
        Class<?> responseClass = ResolvableType.forType(handler.responseType()).toClass();
        if (responseClass != Object.class && !packetType.isAssignableFrom(responseClass)) {
            throw invalid(settings, "it encodes " + packetType.getSimpleName() + " responses, but "
                    + handler.source() + " sends " + handler.responseType().getTypeName());
        }
        return (StreamProtocol<Object, Object>) (StreamProtocol<?, ?>) StreamProtocol.of(serializer);
    }

    @SuppressWarnings("unchecked")
    private StreamProtocol<Object, Object> bean(ServerSettings settings) {
        String name = settings.serializer();
        if (!beanFactory.containsBean(name)) {
            throw invalid(settings, "no such serializer; choose " + CHOICES);
        }
        Object bean = beanFactory.getBean(name);
        if (bean instanceof StreamProtocol<?, ?> protocol) {
            return (StreamProtocol<Object, Object>) protocol;
        }
        if (bean instanceof StreamSerializer<?> serializer) {
            return StreamProtocol.of((StreamSerializer<Object>) serializer);
        }
        throw invalid(settings, "bean '" + name + "' is a " + bean.getClass().getName()
                + ", not a StreamSerializer or StreamProtocol");
    }

    private static InvalidConfigurationPropertyValueException invalid(ServerSettings settings, String reason) {
        return new InvalidConfigurationPropertyValueException(settings.serializerProperty(), settings.serializer(),
                reason);
    }
}
