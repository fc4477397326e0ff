/**
 * Micrometer meters and observations for servers, built on {@link io.easynet.server.ServerListener}; needs
 * {@code micrometer-core} (meters) or {@code micrometer-observation} (observations) on the class path.
 */
@NullMarked
package io.easynet.micrometer;

import org.jspecify.annotations.NullMarked;
