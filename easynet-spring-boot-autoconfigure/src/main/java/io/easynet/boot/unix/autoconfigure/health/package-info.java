/**
 * Auto-configuration of the {@code easynet} health contributor.
 */
@NullMarked
package io.easynet.boot.unix.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
