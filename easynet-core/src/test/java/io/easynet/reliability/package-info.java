/** Reliability tests: bad input through real sockets, and a time-boxed fuzz run of the decoders. */
@NullMarked
package io.easynet.reliability;

import org.jspecify.annotations.NullMarked;
