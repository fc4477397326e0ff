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

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.ResolvableType;

/**
 * Makes the protocol a server speaks from its {@code serializer} setting: a built-in serializer bound to the
 * handler's request and response types, or a {@link StreamSerializer} or {@link StreamProtocol} bean. JSON uses
 * the application's {@link JsonMapper}, so Jackson customizations apply to the server's documents too. A
 * serializer whose packet types do not fit the handler's is refused, where the types are known.
 */
final class ServerProtocols {

    private static final String CHOICES = "json, line, length-prefixed, raw, or the name of a StreamSerializer or "
            + "StreamProtocol bean";

    private final ConfigurableListableBeanFactory beanFactory;

    private final JsonMapper jsonMapper;

    ServerProtocols(ConfigurableListableBeanFactory beanFactory, JsonMapper jsonMapper) {
        this.beanFactory = beanFactory;
        this.jsonMapper = jsonMapper;
    }

    /**
     * The protocol {@code serializer} names for {@code handler}.
     *
     * @throws RuntimeException naming the property or annotation attribute if the serializer is unknown, or does
     *     not produce the handler's request type or accept its response type
     */
    StreamProtocol<Object, Object> protocol(DiscoveredHandler handler, ConfiguredValue<String> serializer) {
        return switch (serializer.value()) {
            case "json" -> json(handler.requestType(), handler.responseType());
            case "line" -> builtIn(handler, serializer, String.class, new LineSerializer());
            case "length-prefixed" -> builtIn(handler, serializer, byte[].class, LengthPrefixedSerializer.INSTANCE);
            case "raw" -> builtIn(handler, serializer, byte[].class, RawSerializer.INSTANCE);
            default -> bean(handler, serializer);
        };
    }

    private StreamProtocol<Object, Object> json(Type requestType, Type responseType) {
        JsonSerializer<Object> decoder = JsonSerializer.builder(requestType).mapper(jsonMapper).build();
        JsonSerializer<Object> encoder = requestType.equals(responseType) ? decoder
                : JsonSerializer.builder(responseType).mapper(jsonMapper).build();
        return StreamProtocol.of(encoder, decoder);
    }

    private static <T> StreamProtocol<Object, Object> builtIn(DiscoveredHandler handler,
            ConfiguredValue<String> serializer, Class<T> packetType, StreamSerializer<T> stream) {
        checkFits(handler, serializer, packetType, packetType);
        return unchecked(StreamProtocol.of(stream));
    }

    private StreamProtocol<Object, Object> bean(DiscoveredHandler handler, ConfiguredValue<String> serializer) {
        String name = serializer.value();
        if (!beanFactory.containsBean(name)) {
            throw serializer.invalid("no such serializer; choose " + CHOICES);
        }
        Object bean = beanFactory.getBean(name);
        ResolvableType declared = beanFactory.containsBeanDefinition(name)
                ? beanFactory.getMergedBeanDefinition(name).getResolvableType() : ResolvableType.NONE;
        if (bean instanceof StreamProtocol<?, ?> protocol) {
            ResolvableType types = typeOf(declared, bean, StreamProtocol.class);
            checkFits(handler, serializer, types.getGeneric(1).resolve(), types.getGeneric(0).resolve());
            return unchecked(protocol);
        }
        if (bean instanceof StreamSerializer<?> stream) {
            Class<?> packetType = typeOf(declared, bean, StreamSerializer.class).getGeneric(0).resolve();
            checkFits(handler, serializer, packetType, packetType);
            return unchecked(StreamProtocol.of(stream));
        }
        throw serializer.invalid("bean '" + name + "' is a " + bean.getClass().getName()
                + ", not a StreamSerializer or StreamProtocol");
    }

    /** {@code type} as the bean's definition declares it, or else as its class implements it. */
    private static ResolvableType typeOf(ResolvableType declared, Object bean, Class<?> type) {
        ResolvableType fromDefinition = declared.as(type);
        return fromDefinition.hasGenerics() && fromDefinition.getGeneric(0).resolve() != null ? fromDefinition
                : ResolvableType.forInstance(bean).as(type);
    }

    @SuppressWarnings("unchecked")
    private static StreamProtocol<Object, Object> unchecked(StreamProtocol<?, ?> protocol) {
        return (StreamProtocol<Object, Object>) protocol;
    }

    /**
     * Refuses a serializer that decodes packets the handler cannot take, or encodes packets of a type the
     * handler's responses are not. A type Java erased (a generic serializer such as JSON's) is not checked.
     */
    private static void checkFits(DiscoveredHandler handler, ConfiguredValue<String> serializer,
            @Nullable Class<?> decodes, @Nullable Class<?> encodes) {
        if (decodes != null && !ResolvableType.forType(handler.requestType()).isAssignableFrom(decodes)) {
            throw serializer.invalid("it decodes requests as " + decodes.getSimpleName() + ", but "
                    + handler.source() + " takes " + handler.requestType().getTypeName());
        }
        Class<?> responseClass = ResolvableType.forType(handler.responseType()).toClass();
        if (encodes != null && responseClass != Object.class && !encodes.isAssignableFrom(responseClass)) {
            throw serializer.invalid("it encodes " + encodes.getSimpleName() + " responses, but "
                    + handler.source() + " sends " + handler.responseType().getTypeName());
        }
    }
}
