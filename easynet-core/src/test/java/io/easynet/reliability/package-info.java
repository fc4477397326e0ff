/**
 * Reliability tests: bad input through real sockets, a fuzz run of the decoders, load and concurrency, idle
 * connections, faults.
 */
@NullMarked
package io.easynet.reliability;

import org.jspecify.annotations.NullMarked;
