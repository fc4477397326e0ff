package io.easynet.server;

/** The {@link ScopedValue} the server binds to the client each connection thread serves. */
final class ClientScope {

    static final ScopedValue<StreamClient<?>> CURRENT = ScopedValue.newInstance();

    private ClientScope() {
    }
}
