/**
 * The scheduler watchdog: notices when the JVM's virtual threads cannot be scheduled, because code holds every
 * carrier thread, and names the threads that hold them.
 */
@NullMarked
package io.easynet.scheduler;

import org.jspecify.annotations.NullMarked;
