/**
 * Auto-configuration of EasyNet Unix stream servers: binds {@code easynet.unix.*}, turns the handlers it finds into
 * managed servers, registers the {@code unix-client} scope, and explains startup failures.
 */
@NullMarked
package io.easynet.boot.unix.autoconfigure;

import org.jspecify.annotations.NullMarked;
