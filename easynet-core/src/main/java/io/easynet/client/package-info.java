/**
 * The blocking Unix stream client, the Java form of EasyNetwork's {@code UnixStreamClient}.
 */
@NullMarked
package io.easynet.client;

import org.jspecify.annotations.NullMarked;
