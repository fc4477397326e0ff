/**
 * Auto-configuration of the servers' Micrometer meters and observations, when the application has Boot's metrics or
 * observation support.
 */
@NullMarked
package io.easynet.boot.unix.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
