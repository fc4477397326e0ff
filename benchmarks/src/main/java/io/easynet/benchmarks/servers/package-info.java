/**
 * The echo servers under test, each a {@code main} started in its own JVM by the echo matrix: easynet-core raw and
 * JSON, a Netty epoll baseline and a plain-JDK blocking baseline. Each prints {@value Ready#LINE} once it accepts.
 */
@NullMarked
package io.easynet.benchmarks.servers;

import org.jspecify.annotations.NullMarked;
