package io.easynet.serializer;

import java.math.BigDecimal;
import java.util.function.Predicate;

/**
 * Python's {@code repr()} of a float, the text its {@code json} module writes: the shortest digits that read back
 * as the same value, in plain notation ({@code 0.0001}, {@code 1e+16} is the first power of ten that is not) with
 * a {@code .0} on whole numbers, otherwise in exponent notation with at least two exponent digits ({@code 1e-05}).
 *
 * <p>Java's {@code StringBuilder.append(double)} already finds the shortest digits (JDK 19 and later), with one
 * exception this class corrects: when a single digit would do, Java may prefer two closer ones ({@code 4.9E-324}
 * where Python writes {@code 5e-324}). That can only happen to subnormal numbers, whose neighbours are so far
 * apart that a one-digit and a different two-digit decimal both read back as the same value.
 *
 * <p>An instance is a formatter with reused buffers, so a generator writes every float of a document without
 * allocating; not thread-safe.
 */
final class PythonFloat {

    /** More than the longest repr: a sign, 17 digits, a point and {@code e-324}, or up to 3 zeros after {@code 0.}. */
    private static final int MAX_LENGTH = 32;

    /** Java's own text of the number: {@code -12.5}, {@code 1.0E-5}. */
    private final StringBuilder java = new StringBuilder(MAX_LENGTH);

    /** The significant digits, without leading or trailing zeros. */
    private final char[] digits = new char[MAX_LENGTH];

    private final char[] text = new char[MAX_LENGTH];

    private boolean negative;

    private int count;

    /** Where the decimal point is: the number is {@code 0.digits × 10^point}. */
    private int point;

    /** {@return the repr of a finite double} */
    static String repr(double value) {
        PythonFloat format = new PythonFloat();
        return new String(format.text, 0, format.format(value));
    }

    /**
     * {@return the repr of a finite float, with the float's own shortest digits} {@code 0.1f} is written {@code 0.1},
     * not as the double it widens to ({@code 0.10000000149011612}), so it reads back as the same float.
     */
    static String repr(float value) {
        PythonFloat format = new PythonFloat();
        return new String(format.text, 0, format.format(value));
    }

    /** {@return the buffer {@link #format} writes into, from index 0; valid until the next call} */
    char[] text() {
        return text;
    }

    /** Writes the repr of a finite double into {@link #text()} and returns its length. */
    int format(double value) {
        if (value == 0) {
            return zero(Double.doubleToRawLongBits(value) < 0);
        }
        java.setLength(0);
        java.append(value);
        parseJava();
        if (count == 2 && Math.abs(value) < Double.MIN_NORMAL) {
            preferOneDigit(candidate -> Double.parseDouble(candidate) == value, new BigDecimal(value));
        }
        return layout();
    }

    /** Writes the repr of a finite float, with its own shortest digits, into {@link #text()}; returns its length. */
    int format(float value) {
        if (value == 0) {
            return zero(Float.floatToRawIntBits(value) < 0);
        }
        java.setLength(0);
        java.append(value);
        parseJava();
        if (count == 2 && Math.abs(value) < Float.MIN_NORMAL) {
            preferOneDigit(candidate -> Float.parseFloat(candidate) == value, new BigDecimal(value));
        }
        return layout();
    }

    private int zero(boolean negativeZero) {
        int length = 0;
        if (negativeZero) {
            text[length++] = '-';
        }
        text[length++] = '0';
        text[length++] = '.';
        text[length++] = '0';
        return length;
    }

    /** Reads Java's text of a non-zero finite number into the sign, digits and point. */
    private void parseJava() {
        int length = java.length();
        negative = java.charAt(0) == '-';
        int all = 0;
        int dot = 0;
        int exponent = 0;
        for (int i = negative ? 1 : 0; i < length; i++) {
            char c = java.charAt(i);
            if (c == '.') {
                dot = all;
            } else if (c == 'E') {
                boolean negativeExponent = java.charAt(i + 1) == '-';
                for (int k = negativeExponent ? i + 2 : i + 1; k < length; k++) {
                    exponent = exponent * 10 + java.charAt(k) - '0';
                }
                exponent = negativeExponent ? -exponent : exponent;
                break;
            } else {
                digits[all++] = c;
            }
        }
        int leading = 0;
        while (digits[leading] == '0') {
            leading++;
        }
        int end = all;
        while (digits[end - 1] == '0') {
            end--;
        }
        System.arraycopy(digits, leading, digits, 0, end - leading);
        count = end - leading;
        point = dot + exponent - leading;
    }

    /**
     * Replaces the two digits by the closest one-digit decimal that reads back as the same number, if any. It can
     * only be the two-digit number rounded down or up to one digit.
     */
    private void preferOneDigit(Predicate<String> readsBack, BigDecimal exact) {
        int digit = digits[0] - '0';
        int upDigit = digit == 9 ? 1 : digit + 1;
        int upPoint = digit == 9 ? point + 1 : point;
        String down = scientific(digit, point);
        String up = scientific(upDigit, upPoint);
        boolean downFits = readsBack.test(down);
        boolean upFits = readsBack.test(up);
        if (downFits && upFits) {
            int order = exact.subtract(new BigDecimal(down)).abs()
                    .compareTo(new BigDecimal(up).subtract(exact).abs());
            downFits = order < 0 || order == 0 && digit % 2 == 0;
            upFits = !downFits;
        }
        if (downFits || upFits) {
            digits[0] = (char) ('0' + (downFits ? digit : upDigit));
            point = downFits ? point : upPoint;
            count = 1;
        }
    }

    private String scientific(int digit, int atPoint) {
        return (negative ? "-0." : "0.") + digit + "E" + atPoint;
    }

    /** Writes the sign, digits and point in Python's layout into the text; returns its length. */
    private int layout() {
        int length = 0;
        if (negative) {
            text[length++] = '-';
        }
        int exponent = point - 1;
        if (exponent < -4 || exponent >= 16) {
            text[length++] = digits[0];
            if (count > 1) {
                text[length++] = '.';
                length = copyDigits(1, count, length);
            }
            text[length++] = 'e';
            text[length++] = exponent < 0 ? '-' : '+';
            int magnitude = Math.abs(exponent);
            if (magnitude >= 100) {
                text[length++] = (char) ('0' + magnitude / 100);
            }
            text[length++] = (char) ('0' + magnitude / 10 % 10);
            text[length++] = (char) ('0' + magnitude % 10);
        } else if (point <= 0) {
            text[length++] = '0';
            text[length++] = '.';
            length = zeros(-point, length);
            length = copyDigits(0, count, length);
        } else if (point >= count) {
            length = copyDigits(0, count, length);
            length = zeros(point - count, length);
            text[length++] = '.';
            text[length++] = '0';
        } else {
            length = copyDigits(0, point, length);
            text[length++] = '.';
            length = copyDigits(point, count, length);
        }
        return length;
    }

    private int copyDigits(int from, int to, int at) {
        System.arraycopy(digits, from, text, at, to - from);
        return at + to - from;
    }

    private int zeros(int how, int at) {
        for (int i = 0; i < how; i++) {
            text[at + i] = '0';
        }
        return at + how;
    }
}
