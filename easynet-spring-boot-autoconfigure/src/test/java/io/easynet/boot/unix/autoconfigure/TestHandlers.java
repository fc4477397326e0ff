package io.easynet.boot.unix.autoconfigure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.easynet.boot.unix.UnixStreamHandler;
import io.easynet.server.RequestStream;
import io.easynet.server.StreamClient;
import io.easynet.server.StreamRequestHandler;
import tools.jackson.databind.JsonNode;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Handler beans the auto-configuration tests serve (the health and endpoint tests too). */
public final class TestHandlers {

    private TestHandlers() {
    }

    /** Sends back every JSON value. */
    static final class Echo implements StreamRequestHandler<JsonNode, JsonNode> {

        @Override
        public void handle(StreamClient<JsonNode> client, RequestStream<JsonNode> requests) throws Exception {
            client.send(requests.receive());
        }
    }

    @Configuration(proxyBeanMethods = false)
    public static class EchoConfiguration {

        @Bean
        @UnixStreamHandler("echo")
        Echo echoHandler() {
            return new Echo();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class EchoWithAnnotatedPathConfiguration {

        @Bean
        @UnixStreamHandler(name = "echo", path = "${test.dir}/from-annotation.sock")
        Echo echoHandler() {
            return new Echo();
        }
    }

    /** A request of the method handlers. */
    record Add(long add) {
    }

    /** A response of the method handlers. */
    record Total(long runningTotal) {
    }

    /** Method handlers: records bound by Jackson, the client as a parameter, and a void method. */
    static class Methods {

        final List<String> notes = new CopyOnWriteArrayList<>();

        @UnixStreamHandler("double")
        Total twice(Add request) {
            return new Total(request.add() * 2);
        }

        @UnixStreamHandler("whoami")
        String whoAmI(StreamClient<String> client, String request) {
            return request + " " + client.id();
        }

        @UnixStreamHandler("note")
        void note(List<Integer> numbers) {
            notes.add(numbers.toString());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class MethodsConfiguration {

        @Bean
        Methods methods() {
            return new Methods();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class DuplicateNameConfiguration {

        @Bean
        @UnixStreamHandler("echo")
        Echo firstEcho() {
            return new Echo();
        }

        @Bean
        @UnixStreamHandler("echo")
        Echo secondEcho() {
            return new Echo();
        }
    }

    @Configuration(proxyBeanMethods = false)
    public static class TwoEchoesConfiguration {

        @Bean
        @UnixStreamHandler("one")
        Echo oneHandler() {
            return new Echo();
        }

        @Bean
        @UnixStreamHandler("two")
        Echo twoHandler() {
            return new Echo();
        }
    }
}
