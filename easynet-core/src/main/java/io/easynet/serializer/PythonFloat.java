package io.easynet.serializer;

import java.math.BigDecimal;
import java.util.function.Predicate;

/**
 * Python's {@code repr()} of a float, the text its {@code json} module writes: the shortest digits that read back
 * as the same value, in plain notation ({@code 0.0001}, {@code 1e+16} is the first power of ten that is not) with
 * a {@code .0} on whole numbers, otherwise in exponent notation with at least two exponent digits ({@code 1e-05}).
 *
 * <p>Java's {@code Double.toString} already finds the shortest digits (JDK 19 and later), with one exception this
 * class corrects: when a single digit would do, Java may prefer two closer ones ({@code 4.9E-324} where Python
 * writes {@code 5e-324}).
 */
final class PythonFloat {

    private PythonFloat() {
    }

    /** The repr of a finite double. */
    static String repr(double value) {
        if (value == 0) {
            return Double.doubleToRawLongBits(value) < 0 ? "-0.0" : "0.0";
        }
        Decimal decimal = Decimal.parse(Double.toString(value));
        if (decimal.digits().length() == 2) {
            decimal = decimal.shorter(candidate -> Double.parseDouble(candidate) == value, new BigDecimal(value));
        }
        return decimal.format();
    }

    /**
     * The repr a float's own shortest digits would have: {@code 0.1f} is written {@code 0.1}, not as the double it
     * widens to ({@code 0.10000000149011612}), so it reads back as the same float.
     */
    static String repr(float value) {
        if (value == 0) {
            return Float.floatToRawIntBits(value) < 0 ? "-0.0" : "0.0";
        }
        Decimal decimal = Decimal.parse(Float.toString(value));
        if (decimal.digits().length() == 2) {
            decimal = decimal.shorter(candidate -> Float.parseFloat(candidate) == value, new BigDecimal(value));
        }
        return decimal.format();
    }

    /** {@code 0.digits × 10^point}, digits without leading or trailing zeros. */
    private record Decimal(boolean negative, String digits, int point) {

        /** Reads Java's {@code toString} of a non-zero finite number: {@code -12.5}, {@code 1.0E-5}. */
        static Decimal parse(String java) {
            boolean negative = java.charAt(0) == '-';
            int exponentAt = java.indexOf('E');
            int mantissaEnd = exponentAt < 0 ? java.length() : exponentAt;
            int exponent = exponentAt < 0 ? 0 : Integer.parseInt(java, exponentAt + 1, java.length(), 10);
            int dot = java.indexOf('.');
            int first = negative ? 1 : 0;
            String digits = java.substring(first, dot) + java.substring(dot + 1, mantissaEnd);
            int point = dot - first + exponent;
            int leading = 0;
            while (digits.charAt(leading) == '0') {
                leading++;
            }
            int end = digits.length();
            while (digits.charAt(end - 1) == '0') {
                end--;
            }
            return new Decimal(negative, digits.substring(leading, end), point - leading);
        }

        /**
         * The closest one-digit decimal that reads back as the same number, if any, else this two-digit one. It
         * can only be the two-digit number rounded down or up to one digit.
         */
        Decimal shorter(Predicate<String> readsBack, BigDecimal exact) {
            int digit = digits.charAt(0) - '0';
            Decimal down = new Decimal(negative, String.valueOf(digit), point);
            Decimal up = digit == 9 ? new Decimal(negative, "1", point + 1)
                    : new Decimal(negative, String.valueOf(digit + 1), point);
            boolean downFits = readsBack.test(down.scientific());
            boolean upFits = readsBack.test(up.scientific());
            if (downFits && upFits) {
                int order = exact.subtract(new BigDecimal(down.scientific())).abs()
                        .compareTo(new BigDecimal(up.scientific()).subtract(exact).abs());
                return order < 0 || order == 0 && digit % 2 == 0 ? down : up;
            }
            return downFits ? down : upFits ? up : this;
        }

        private String scientific() {
            return (negative ? "-0." : "0.") + digits + "E" + point;
        }

        String format() {
            StringBuilder text = new StringBuilder(digits.length() + 8);
            if (negative) {
                text.append('-');
            }
            int exponent = point - 1;
            if (exponent < -4 || exponent >= 16) {
                text.append(digits.charAt(0));
                if (digits.length() > 1) {
                    text.append('.').append(digits, 1, digits.length());
                }
                text.append(exponent < 0 ? "e-" : "e+");
                if (Math.abs(exponent) < 10) {
                    text.append('0');
                }
                text.append(Math.abs(exponent));
            } else if (point <= 0) {
                text.append("0.").repeat('0', -point).append(digits);
            } else if (point >= digits.length()) {
                text.append(digits).repeat('0', point - digits.length()).append(".0");
            } else {
                text.append(digits, 0, point).append('.').append(digits, point, digits.length());
            }
            return text.toString();
        }
    }
}
