package io.easynet.boot.unix.handler;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

import org.springframework.core.ResolvableType;

/**
 * Turns a Spring {@link ResolvableType} into a plain {@link Type} with every variable replaced by what the bean's
 * class binds it to, so that Jackson binds {@code T} of {@code class Prices extends Service<Quote>} as
 * {@code Quote}. {@link ResolvableType#getType()} would still say {@code T}.
 */
final class ResolvedTypes {

    private ResolvedTypes() {
    }

    /** The concrete form of {@code type}, or {@code null} if its class cannot be told; unknown arguments are Object. */
    static @Nullable Type concrete(ResolvableType type) {
        Class<?> raw = type.resolve();
        if (raw == null) {
            return null;
        }
        if (!type.hasGenerics()) {
            return raw;
        }
        Type[] arguments = Arrays.stream(type.getGenerics()).map(argument -> {
            Type concrete = concrete(argument);
            return concrete != null ? concrete : Object.class;
        }).toArray(Type[]::new);
        return new Parameterized(raw, arguments);
    }

    /** A parameterized type made from resolved parts. */
    private record Parameterized(Class<?> raw, Type[] arguments) implements ParameterizedType {

        @Override
        public Type[] getActualTypeArguments() {
            return arguments.clone();
        }

        @Override
        public Type getRawType() {
            return raw;
        }

        @Override
        public @Nullable Type getOwnerType() {
            return raw.getDeclaringClass();
        }

        @Override
        public boolean equals(@Nullable Object other) {
            return other instanceof ParameterizedType that && raw.equals(that.getRawType())
                    && Arrays.equals(arguments, that.getActualTypeArguments());
        }

        @Override
        public int hashCode() {
            return raw.hashCode() * 31 + Arrays.hashCode(arguments);
        }

        @Override
        public String getTypeName() {
            return raw.getTypeName() + Arrays.stream(arguments).map(Type::getTypeName)
                    .collect(java.util.stream.Collectors.joining(", ", "<", ">"));
        }

        @Override
        public String toString() {
            return getTypeName();
        }
    }
}
