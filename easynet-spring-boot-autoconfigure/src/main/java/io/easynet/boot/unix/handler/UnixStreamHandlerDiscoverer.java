package io.easynet.boot.unix.handler;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.easynet.boot.unix.UnixStreamHandler;
import io.easynet.boot.unix.UnixStreamServerConflictException;
import io.easynet.server.StreamClient;
import io.easynet.server.StreamRequestHandler;

import org.springframework.aop.framework.autoproxy.AutoProxyUtils;
import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.config.BeanDefinition;
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
 * instantiated, lazy ones included, since they are about to serve. Whatever would make a handler be served wrongly
 * is refused with a message naming the bean or method: a missing or unusable name, unknown request type, a
 * handler bean that is not a singleton (a server serves every client with one handler).
 */
public final class UnixStreamHandlerDiscoverer {

    /** One element of a property name, so that {@code easynet.unix.servers.<name>} binds by relaxed rules. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    private final ConfigurableListableBeanFactory beanFactory;

    /**
     * Creates a discoverer of the handlers defined in {@code beanFactory}.
     *
     * @param beanFactory where handler beans and annotated methods are looked up
     */
    public UnixStreamHandlerDiscoverer(ConfigurableListableBeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    /**
     * {@return the handlers, handler beans first, each in bean definition order}
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
            if (ScopedProxyUtils.isScopedTarget(beanName)) {
                continue;
            }
            Class<?> type = AutoProxyUtils.determineTargetClass(beanFactory, beanName);
            if (type != null && AnnotationUtils.isCandidateClass(type, UnixStreamHandler.class)) {
                Class<?> userClass = ClassUtils.getUserClass(type);
                handlerMethods(userClass).forEach((method, annotation) -> found.add(
                        handlerMethod(beanName, userClass, method, annotation)));
            }
        }
        checkUniqueNames(found);
        return found;
    }

    private DiscoveredHandler handlerBean(String beanName) {
        UnixStreamHandler annotation = beanFactory.findAnnotationOnBean(beanName, UnixStreamHandler.class);
        String source = "bean '" + beanName + "'";
        String name = name(annotation, source);
        checkSingleton(beanName, source);
        Object bean = beanFactory.getBean(beanName);
        if (!(bean instanceof StreamRequestHandler<?, ?>)) {
            throw new IllegalStateException(source + " is annotated @UnixStreamHandler but does not implement "
                    + "StreamRequestHandler: implement it, or annotate the method that handles a request instead");
        }
        ResolvableType handlerType = handlerType(beanName, bean);
        @SuppressWarnings("unchecked")
        var handler = (StreamRequestHandler<Object, Object>) bean;
        return new DiscoveredHandler(name, source, annotation.path(), annotation.serializer(), handler,
                requireType(handlerType.getGeneric(0), "request", source), responseType(handlerType.getGeneric(1)));
    }

    /** The handler's {@code StreamRequestHandler} type with the most generic information known. */
    private ResolvableType handlerType(String beanName, Object bean) {
        ResolvableType declared = beanFactory.containsBeanDefinition(beanName)
                ? beanFactory.getMergedBeanDefinition(beanName).getResolvableType() : ResolvableType.NONE;
        if (FactoryBean.class.isAssignableFrom(declared.toClass())) {
            declared = declared.as(FactoryBean.class).getGeneric(0);
        }
        ResolvableType fromDefinition = declared.as(StreamRequestHandler.class);
        if (fromDefinition != ResolvableType.NONE && fromDefinition.getGeneric(0).resolve() != null) {
            return fromDefinition;
        }
        return ResolvableType.forInstance(bean).as(StreamRequestHandler.class);
    }

    private void checkSingleton(String beanName, String source) {
        String target = ScopedProxyUtils.getTargetBeanName(beanName);
        String scope = null;
        if (beanFactory.containsBeanDefinition(target)) {
            scope = beanFactory.getMergedBeanDefinition(target).getScope();
        } else if (beanFactory.containsBeanDefinition(beanName)) {
            BeanDefinition definition = beanFactory.getMergedBeanDefinition(beanName);
            scope = definition.isSingleton() ? null : definition.getScope();
        }
        if (scope != null) {
            throw new IllegalStateException("handler " + source + " is in the '" + scope + "' scope, but a server "
                    + "serves every client with one handler: make the bean a singleton, and keep per-client state "
                    + "in @UnixClientScope beans or StreamClient.attributes()");
        }
    }

    private static Map<Method, UnixStreamHandler> handlerMethods(Class<?> type) {
        return MethodIntrospector.selectMethods(type, (MethodIntrospector.MetadataLookup<UnixStreamHandler>) method ->
                AnnotatedElementUtils.hasAnnotation(method, Bean.class) ? null
                        : AnnotatedElementUtils.findMergedAnnotation(method, UnixStreamHandler.class));
    }

    private DiscoveredHandler handlerMethod(String beanName, Class<?> userClass, Method method,
            UnixStreamHandler annotation) {
        String source = "method " + userClass.getSimpleName() + "." + method.getName()
                + Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName)
                        .collect(Collectors.joining(", ", "(", ")"))
                + " of bean '" + beanName + "'";
        String name = name(annotation, source);
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
        checkSingleton(beanName, source);
        Type requestType = requireType(ResolvableType.forMethodParameter(method, requestIndex, userClass), "request",
                source);
        Type responseType = method.getReturnType() == void.class ? Object.class
                : responseType(ResolvableType.forMethodReturnType(method, userClass));
        Object bean = beanFactory.getBean(beanName);
        Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
        return new DiscoveredHandler(name, source, annotation.path(), annotation.serializer(),
                new HandlerMethodAdapter(bean, invocable, requestIndex, clientIndex), requestType, responseType);
    }

    private static String name(UnixStreamHandler annotation, String source) {
        String name = annotation.name();
        if (name.isBlank()) {
            throw new IllegalStateException("@UnixStreamHandler on " + source + " has no server name: write "
                    + "@UnixStreamHandler(\"name\") and configure easynet.unix.servers.<name>");
        }
        if (!NAME.matcher(name).matches()) {
            throw new IllegalStateException("@UnixStreamHandler(\"" + name + "\") on " + source + ": a server name "
                    + "is lower-case letters, digits and dashes, such as \"my-echo\", as it is written in "
                    + "easynet.unix.servers.<name>");
        }
        return name;
    }

    /** The type requests are decoded to; a server cannot decode to a type it cannot tell. */
    private static Type requireType(ResolvableType type, String what, String source) {
        Type concrete = ResolvedTypes.concrete(type);
        if (concrete == null) {
            throw new IllegalStateException("cannot tell the " + what + " type of " + source + ": declare it, for "
                    + "example as the generic types of the @Bean method's StreamRequestHandler<Req, Resp>");
        }
        return concrete;
    }

    /** The type responses are encoded from; JSON writes any value by its own class, so an unknown one is Object. */
    private static Type responseType(ResolvableType type) {
        Type concrete = ResolvedTypes.concrete(type);
        return concrete != null ? concrete : Object.class;
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
