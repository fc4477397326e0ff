package io.easynet.boot.unix.handler;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

import io.easynet.server.RequestStream;
import io.easynet.server.StreamClient;
import io.easynet.server.StreamRequestHandler;

import org.jspecify.annotations.Nullable;

import org.springframework.util.ReflectionUtils;

/**
 * Serves a {@code @UnixStreamHandler} method as a handler: each round receives one request, passes it to the
 * method (with the client, if the method asks for it) and sends back what the method returns, unless it is
 * {@code void} or returns {@code null}. What the method throws closes the connection, as with any handler.
 */
final class HandlerMethodAdapter implements StreamRequestHandler<Object, Object> {

    private final Object bean;

    private final Method method;

    private final int clientIndex;

    private final int requestIndex;

    /**
     * @param bean the bean to call the method on
     * @param method the method, invocable on the bean (on its proxy, if it has one)
     * @param requestIndex the position of the request parameter
     * @param clientIndex the position of the {@link StreamClient} parameter, or -1
     */
    HandlerMethodAdapter(Object bean, Method method, int requestIndex, int clientIndex) {
        this.bean = bean;
        this.method = method;
        this.requestIndex = requestIndex;
        this.clientIndex = clientIndex;
        ReflectionUtils.makeAccessible(method);
    }

    @Override
    public void handle(StreamClient<Object> client, RequestStream<Object> requests) throws Exception {
        Object request = requests.receive();
        Object[] arguments = new Object[method.getParameterCount()];
        arguments[requestIndex] = request;
        if (clientIndex >= 0) {
            arguments[clientIndex] = client;
        }
        Object response = invoke(arguments);
        if (response != null) {
            client.send(response);
        }
    }

    private @Nullable Object invoke(Object[] arguments) throws Exception {
        try {
            return method.invoke(bean, arguments);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception exception) {
                throw exception;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    @Override
    public String toString() {
        return method.getDeclaringClass().getSimpleName() + "." + method.getName();
    }
}
