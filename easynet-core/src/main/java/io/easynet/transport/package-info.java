/**
 * The transport seam: Unix-domain stream sockets behind a small interface, so the server and the client do not
 * depend on which socket implementation carries their bytes, plus the framed packet stream built on it.
 */
@NullMarked
package io.easynet.transport;

import org.jspecify.annotations.NullMarked;
