/**
 * The demo application: EasyNet servers in a Spring Boot app, driven over their sockets by tests outside the
 * project, so their behaviour is a contract.
 */
@NullMarked
package io.easynet.demo;

import org.jspecify.annotations.NullMarked;
