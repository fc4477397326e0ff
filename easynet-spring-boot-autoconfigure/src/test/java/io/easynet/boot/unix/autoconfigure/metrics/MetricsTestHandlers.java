package io.easynet.boot.unix.autoconfigure.metrics;

import java.io.IOException;
import java.nio.file.Path;

import io.easynet.boot.unix.UnixStreamHandler;
import io.easynet.client.UnixStreamClient;
import io.easynet.micrometer.DefaultUnixRequestObservationConvention;
import io.easynet.micrometer.UnixRequestObservationConvention;
import io.easynet.protocol.StreamProtocol;
import io.easynet.serializer.LineSerializer;
import io.easynet.server.RequestStream;
import io.easynet.server.StreamClient;
import io.easynet.server.StreamRequestHandler;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Line-echo handlers the metrics tests serve, and a client for them. */
final class MetricsTestHandlers {

    private static final StreamProtocol<String, String> LINES = StreamProtocol.of(new LineSerializer());

    private MetricsTestHandlers() {
    }

    static UnixStreamClient<String, String> connect(Path path) throws IOException {
        return UnixStreamClient.connect(path, LINES);
    }

    /** Sends one line on a new connection and returns the answer. */
    static String exchange(Path path, String line) throws Exception {
        try (var client = connect(path)) {
            client.send(line);
            return client.receive();
        }
    }

    /** Sends back every line. */
    static final class LineEcho implements StreamRequestHandler<String, String> {

        @Override
        public void handle(StreamClient<String> client, RequestStream<String> requests) throws Exception {
            client.send(requests.receive());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class EchoConfiguration {

        @Bean
        @UnixStreamHandler(name = "echo", serializer = "line")
        LineEcho echoHandler() {
            return new LineEcho();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OtherConfiguration {

        @Bean
        @UnixStreamHandler(name = "other", serializer = "line")
        LineEcho otherHandler() {
            return new LineEcho();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class RequestConventionConfiguration {

        @Bean
        UnixRequestObservationConvention echoRequestConvention() {
            return new DefaultUnixRequestObservationConvention() {
                @Override
                public String getName() {
                    return "echo.request";
                }
            };
        }
    }
}
