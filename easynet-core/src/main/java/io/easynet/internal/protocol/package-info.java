/**
 * Not API: helpers the protocol and serializer packages share, and may change in any release.
 */
@NullMarked
package io.easynet.internal.protocol;

import org.jspecify.annotations.NullMarked;
