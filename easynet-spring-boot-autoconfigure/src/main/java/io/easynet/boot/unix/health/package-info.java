/**
 * Health of the managed Unix stream servers: one component per server, up while new clients can reach it.
 */
@NullMarked
package io.easynet.boot.unix.health;

import org.jspecify.annotations.NullMarked;
