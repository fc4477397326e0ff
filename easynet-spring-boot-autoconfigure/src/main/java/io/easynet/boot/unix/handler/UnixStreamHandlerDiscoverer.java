package io.easynet.boot.unix.handler;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.easynet.boot.unix.UnixStreamHandler;
import io.easynet.boot.unix.UnixStreamServerConflictException;
import io.easynet.server.StreamClient;
import io.easynet.server.StreamRequestHandler;

import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;

/**
 * Finds the handlers of an application context: beans annotated {@link UnixStreamHandler} that implement
 * {@link StreamRequestHandler}, and bean methods annotated {@link UnixStreamHandler}. Handler beans are
 * instantiated, lazy ones included, since they are about to serve.
 */
public final class UnixStreamHandlerDiscoverer {

    private final ConfigurableListableBeanFactory beanFactory;

    /** Creates a discoverer of the handlers defined in {@code beanFactory}. */
    public UnixStreamHandlerDiscoverer(ConfigurableListableBeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    /**
     * The handlers, handler beans first, each in bean definition order.
     *
     * @throws UnixStreamServerConflictException if two handlers have the same name
     * @throws IllegalStateException naming the bean or method whose annotation cannot be served
     */
    public List<DiscoveredHandler> discover() {
        List<DiscoveredHandler> found = new ArrayList<>();
        for (String beanName : beanFactory.getBeanNamesForAnnotation(UnixStreamHandler.class)) {
            if (!ScopedProxyUtils.isScopedTarget(beanName)) {
                found.add(handlerBean(beanName));
            }
        }
        for (String beanName : beanFactory.getBeanDefinitionNames()) {
            Class<?> type = beanFactory.getType(beanName, false);
            if (type != null && !ScopedProxyUtils.isScopedTarget(beanName)
                    && AnnotationUtils.isCandidateClass(type, UnixStreamHandler.class)) {
                handlerMethods(beanName, ClassUtils.getUserClass(type)).forEach(
                        (method, annotation) -> found.add(handlerMethod(beanName, method, annotation)));
            }
        }
        checkUniqueNames(found);
        return found;
    }

    private DiscoveredHandler handlerBean(String beanName) {
        UnixStreamHandler annotation = beanFactory.findAnnotationOnBean(beanName, UnixStreamHandler.class);
        String source = "bean '" + beanName + "'";
        ResolvableType type = beanFactory.getMergedBeanDefinition(beanName).getResolvableType();
        if (type.resolve() == null) {
            type = ResolvableType.forClass(beanFactory.getType(beanName));
        }
        ResolvableType handlerType = type.as(StreamRequestHandler.class);
        if (handlerType == ResolvableType.NONE) {
            throw new IllegalStateException(source + " is annotated @UnixStreamHandler but does not implement "
                    + "StreamRequestHandler: implement it, or annotate the method that handles a request instead");
        }
        @SuppressWarnings("unchecked")
        var handler = (StreamRequestHandler<Object, Object>) beanFactory.getBean(beanName);
        return new DiscoveredHandler(name(annotation, source), source, annotation.path(), annotation.serializer(),
                handler, javaType(handlerType.getGeneric(0)), javaType(handlerType.getGeneric(1)));
    }

    private static Map<Method, UnixStreamHandler> handlerMethods(String beanName, Class<?> type) {
        return MethodIntrospector.selectMethods(type, (MethodIntrospector.MetadataLookup<UnixStreamHandler>) method ->
                AnnotatedElementUtils.hasAnnotation(method, Bean.class) ? null
                        : AnnotatedElementUtils.findMergedAnnotation(method, UnixStreamHandler.class));
    }

    private DiscoveredHandler handlerMethod(String beanName, Method method, UnixStreamHandler annotation) {
        String source = "method " + method.getDeclaringClass().getSimpleName() + "." + method.getName()
                + Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName)
                        .collect(Collectors.joining(", ", "(", ")"))
                + " of bean '" + beanName + "'";
        int clientIndex = -1;
        int requestIndex = -1;
        Class<?>[] parameters = method.getParameterTypes();
        for (int i = 0; i < parameters.length; i++) {
            if (parameters[i] == StreamClient.class && clientIndex < 0) {
                clientIndex = i;
            } else if (requestIndex < 0) {
                requestIndex = i;
            } else {
                requestIndex = Integer.MAX_VALUE;
            }
        }
        if (requestIndex < 0 || requestIndex == Integer.MAX_VALUE) {
            throw new IllegalStateException("@UnixStreamHandler " + source + " must take exactly one request "
                    + "parameter, and optionally a StreamClient parameter");
        }
        Object bean = beanFactory.getBean(beanName);
        Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
        Type responseType = method.getReturnType() == void.class ? Object.class : method.getGenericReturnType();
        return new DiscoveredHandler(name(annotation, source), source, annotation.path(), annotation.serializer(),
                new HandlerMethodAdapter(bean, invocable, requestIndex, clientIndex),
                method.getGenericParameterTypes()[requestIndex], responseType);
    }

    private static String name(UnixStreamHandler annotation, String source) {
        if (annotation.name().isBlank()) {
            throw new IllegalStateException("@UnixStreamHandler on " + source + " has no server name: write "
                    + "@UnixStreamHandler(\"name\") and configure easynet.unix.servers.<name>");
        }
        return annotation.name();
    }

    /** The type to bind to: the full generic type when it is known, else its raw class, else {@code Object}. */
    private static Type javaType(ResolvableType type) {
        Class<?> raw = type.resolve();
        if (raw == null) {
            return Object.class;
        }
        return type.hasUnresolvableGenerics() ? raw : type.getType();
    }

    private static void checkUniqueNames(List<DiscoveredHandler> handlers) {
        Map<String, DiscoveredHandler> byName = new LinkedHashMap<>();
        for (DiscoveredHandler handler : handlers) {
            DiscoveredHandler other = byName.putIfAbsent(handler.name(), handler);
            if (other != null) {
                throw new UnixStreamServerConflictException("server name '" + handler.name() + "'",
                        List.of(other.source(), handler.source()));
            }
        }
    }
}
