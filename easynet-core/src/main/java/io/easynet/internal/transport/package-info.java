/**
 * Not API: the transport seam behind the server and the client, and may change in any release. Unix-domain stream
 * sockets behind a small interface (the JDK's channels or junixsocket), so that the server and the client do not
 * depend on which implementation carries their bytes, and the framed packet stream built on it. Public only because
 * the server and client packages use it.
 */
@NullMarked
package io.easynet.internal.transport;

import org.jspecify.annotations.NullMarked;
