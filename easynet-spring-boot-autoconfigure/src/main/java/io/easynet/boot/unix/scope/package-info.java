/**
 * The {@code unix-client} bean scope: beans that live as long as one client's connection.
 */
@NullMarked
package io.easynet.boot.unix.scope;

import org.jspecify.annotations.NullMarked;
