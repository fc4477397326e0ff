package io.easynet.server;

import java.util.ArrayList;
import java.util.List;

/**
 * The server options that change what happens at the socket, crossed: how the transport is chosen (the JDK's for a
 * plain server; junixsocket for ancillary data, peer credentials or an access policy), the socket file's mode and
 * group, and the addresses that are not a file the server binds (abstract, inherited). Shared by
 * {@link SocketOptionsMatrixChild}, which runs them, and {@link SocketOptionsMatrixTest}, which says what each should
 * give.
 */
final class SocketOptionsMatrix {

    /** What the server listens on. */
    enum Address {
        /** A socket file the server binds. */
        FILE,
        /** A name in Linux's abstract namespace. */
        ABSTRACT,
        /** A socket file systemd bound and passed. */
        INHERITED
    }

    /** How the transport gets chosen: by the option that needs junixsocket, or none (the JDK's). */
    enum Transport {
        JDK, ANCILLARY, CREDENTIALS, ACCESS;

        ServerOptions.Builder options() {
            return switch (this) {
                case JDK -> ServerOptions.builder();
                case ANCILLARY -> ServerOptions.builder().ancillaryBufferSize(1024);
                case CREDENTIALS -> ServerOptions.builder().peerCredentials(true);
                case ACCESS -> ServerOptions.builder().accessPolicy(AccessPolicy.sameUserOnly());
            };
        }
    }

    /** The socket file's mode and group options. */
    enum Mode {
        /** Neither set: the umask's mode. */
        UMASK(null),
        OWNER_ONLY(0600),
        /** Wider than any usual umask allows: only because {@code mode} says so. */
        EVERYONE(0666),
        /** With a group, which may connect. */
        GROUP(0660);

        final Integer octal;

        Mode(Integer octal) {
            this.octal = octal;
        }
    }

    /** One server to run: its name in reports, where it listens, and its options. */
    record Combination(String name, Address address, Transport transport, Mode mode, ServerOptions.Builder options) {
    }

    private SocketOptionsMatrix() {
    }

    /** {@return every combination, {@code group} being the one given to socket files with {@link Mode#GROUP}} */
    static List<Combination> combinations(String group) {
        List<Combination> all = new ArrayList<>();
        for (Transport transport : Transport.values()) {
            for (Mode mode : Mode.values()) {
                ServerOptions.Builder options = transport.options();
                if (mode.octal != null) {
                    options.socketFileMode(mode.octal);
                }
                if (mode == Mode.GROUP) {
                    options.socketFileGroup(group);
                }
                all.add(new Combination(transport + "-" + mode, Address.FILE, transport, mode, options));
            }
        }
        all.add(new Combination("ABSTRACT", Address.ABSTRACT, Transport.CREDENTIALS, Mode.UMASK,
                ServerOptions.builder().peerCredentials(true)));
        for (Transport transport : List.of(Transport.JDK, Transport.CREDENTIALS)) {
            all.add(new Combination("INHERITED-" + transport, Address.INHERITED, transport, Mode.UMASK,
                    transport.options()));
        }
        return all;
    }
}
