/**
 * The {@code easynet} actuator endpoint: managed servers, their clients, and disconnecting one.
 */
@NullMarked
package io.easynet.boot.unix.actuate.endpoint;

import org.jspecify.annotations.NullMarked;
