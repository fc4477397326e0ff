package io.easynet.benchmarks.echo;

import java.util.Locale;
import java.util.concurrent.ThreadFactory;

/** What runs each client connection of the load generator ({@code -Dbench.clientThreads}). */
enum ClientThreads {
    /** One virtual thread per connection, blocking reads parked on the JDK's poller. */
    VIRTUAL,
    /** One platform thread per connection, blocking in {@code read(2)}. */
    PLATFORM;

    ThreadFactory factory() {
        return switch (this) {
            case VIRTUAL -> Thread.ofVirtual().name("client-", 0).factory();
            case PLATFORM -> Thread.ofPlatform().name("client-", 0).factory();
        };
    }

    static ClientThreads parse(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
