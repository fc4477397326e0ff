/**
 * Finds {@link io.easynet.boot.unix.UnixStreamHandler} beans and methods, and adapts handler methods to the core's
 * handler contract.
 */
@NullMarked
package io.easynet.boot.unix.handler;

import org.jspecify.annotations.NullMarked;
