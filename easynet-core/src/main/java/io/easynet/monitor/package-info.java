/**
 * Live figures about a server's clients, built on {@link io.easynet.server.ServerListener} hooks: who is
 * connected, since when, how much each has sent and received, and the means to disconnect one; for admin
 * endpoints and tools.
 */
@NullMarked
package io.easynet.monitor;

import org.jspecify.annotations.NullMarked;
