/**
 * Auto-configuration of the {@code easynet} actuator endpoint.
 */
@NullMarked
package io.easynet.boot.unix.autoconfigure.actuate.endpoint;

import org.jspecify.annotations.NullMarked;
