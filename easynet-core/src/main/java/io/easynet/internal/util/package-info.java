/**
 * Not API: small helpers the core's packages share (uninterruptible waits, rate-limited log lines), and may change
 * in any release.
 */
@NullMarked
package io.easynet.internal.util;

import org.jspecify.annotations.NullMarked;
