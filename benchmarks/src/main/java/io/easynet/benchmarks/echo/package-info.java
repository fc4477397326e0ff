/**
 * The echo matrix: a closed-loop load generator over Unix-domain sockets, the runner that starts each server under
 * test in its own JVM, and the reports (JSON, markdown table, charts) with ratios against Netty from the same run.
 */
@NullMarked
package io.easynet.benchmarks.echo;

import org.jspecify.annotations.NullMarked;
