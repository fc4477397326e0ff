package io.easynet.serializer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PythonFloatTest {

    /** Python 3.11's {@code repr(struct.unpack('<d', struct.pack('<Q', bits))[0])}. */
    @ParameterizedTest(name = "bits {0} -> {1} (Java: {2})")
    @CsvSource({
        "1, 5e-324, 4.9E-324",
        "2, 1e-323, 9.9E-324",
        "3, 1.5e-323, 1.5E-323",
        "4, 2e-323, 2.0E-323",
        "10, 5e-323, 4.9E-323",
        "99, 4.9e-322, 4.9E-322"
    })
    void prefersOneDigitWhereJavaPicksTwoCloserOnes(long bits, String python, String java) {
        double value = Double.longBitsToDouble(bits);

        assertThat(Double.toString(value)).isEqualTo(java);
        assertThat(PythonFloat.repr(value)).isEqualTo(python);
        assertThat(PythonFloat.repr(-value)).isEqualTo("-" + python);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "9999999999999998.0, 9999999999999998.0",
        "1e16, 1e+16",
        "1.5e16, 1.5e+16",
        "0.0001, 0.0001",
        "0.00009999, 9.999e-05",
        "123.456, 123.456",
        "1e100, 1e+100",
        "-2.5e-100, -2.5e-100",
        "7e-10, 7e-10"
    })
    void switchesToExponentNotationBelowTenToTheMinusFourAndFromTenToTheSixteen(double value, String python) {
        assertThat(PythonFloat.repr(value)).isEqualTo(python);
    }

    @ParameterizedTest(name = "{0}f -> {1}")
    @CsvSource({
        "0.1, 0.1",
        "1e16, 1e+16",
        "1e-5, 1e-05",
        "16777216, 16777216.0",
        "3.4028235e38, 3.4028235e+38",
        "1.4e-45, 1e-45",
        "2.8e-45, 3e-45",
        "-0.0, -0.0",
        "0.0, 0.0"
    })
    void writesAFloatWithItsOwnShortestDigitsInPythonsLayout(float value, String expected) {
        assertThat(PythonFloat.repr(value)).isEqualTo(expected);
    }

    @Test
    void everyReprReadsBackAsTheSameValue() {
        Random random = new Random(20240611);
        for (int i = 0; i < 20_000; i++) {
            double value = Double.longBitsToDouble(random.nextLong());
            if (Double.isFinite(value)) {
                assertThat(Double.parseDouble(PythonFloat.repr(value))).isEqualTo(value);
            }
            float single = Float.intBitsToFloat(random.nextInt());
            if (Float.isFinite(single)) {
                assertThat(Float.parseFloat(PythonFloat.repr(single))).isEqualTo(single);
            }
        }
    }
}
