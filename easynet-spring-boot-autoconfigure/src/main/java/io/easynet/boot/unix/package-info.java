/**
 * Spring's programming model for EasyNet Unix stream servers: {@link io.easynet.boot.unix.UnixStreamHandler} beans
 * served by managed servers that start and stop with the application context.
 */
@NullMarked
package io.easynet.boot.unix;

import org.jspecify.annotations.NullMarked;
