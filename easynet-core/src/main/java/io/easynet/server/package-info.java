/**
 * The Unix stream server: {@link io.easynet.server.AsyncUnixStreamServer} and the handler contract it calls, the
 * Java form of EasyNetwork's {@code AsyncUnixStreamServer} and {@code AsyncStreamRequestHandler}.
 */
@NullMarked
package io.easynet.server;

import org.jspecify.annotations.NullMarked;
