/**
 * JMH benchmarks of the server's per-packet path (receive, decode, handle, encode, write) and a raw echo server for
 * the C client check.
 */
@NullMarked
package io.easynet.benchmarks.path;

import org.jspecify.annotations.NullMarked;
