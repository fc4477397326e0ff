/**
 * What the per-request observation costs a server, on a registry set up as Spring Boot's actuator sets it up: from
 * the first request (a fresh JVM, code still interpreted) to steady state.
 */
@NullMarked
package io.easynet.benchmarks.observation;

import org.jspecify.annotations.NullMarked;
