/**
 * Wire protocols: how packets become bytes on a stream and how a stream of bytes is cut back into packets.
 */
@NullMarked
package io.easynet.protocol;

import org.jspecify.annotations.NullMarked;
