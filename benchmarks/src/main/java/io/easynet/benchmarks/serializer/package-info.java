/**
 * JMH micro-benchmarks of the serializers: encoding into a reused buffer and incremental decoding.
 */
@NullMarked
package io.easynet.benchmarks.serializer;

import org.jspecify.annotations.NullMarked;
