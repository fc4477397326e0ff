/**
 * What handlers and clients get from the socket: received packets with their file descriptors, descriptors to send,
 * peer credentials, abstract addresses, and the errors of a connection. The transport itself lives in
 * {@code io.easynet.internal.transport}, which is not API.
 */
@NullMarked
package io.easynet.transport;

import org.jspecify.annotations.NullMarked;
