package io.easynet.demo;

import io.easynet.boot.unix.scope.UnixClientScope;

import org.springframework.stereotype.Component;

/** The {@code counter} server's total for one connection: a new connection gets a new one, starting at 0. */
// tag::running-total[]
@Component
@UnixClientScope
class RunningTotal {

    private long total;

    /**
     * Adds {@code amount} and returns the new total.
     *
     * @throws ArithmeticException if the total would overflow a 64-bit integer; it is left unchanged then
     */
    long add(long amount) {
        total = Math.addExact(total, amount);
        return total;
    }
}
// end::running-total[]
