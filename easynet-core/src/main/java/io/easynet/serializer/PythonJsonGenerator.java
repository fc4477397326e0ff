package io.easynet.serializer;

import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.exc.StreamWriteException;
import tools.jackson.core.util.JsonGeneratorDelegate;

/**
 * A Jackson generator that writes floating-point numbers as Python's {@code json} module does: {@code repr()}
 * digits ({@code 1e+16}, {@code 1e-05}, {@code 1.0}) and the {@code NaN}/{@code Infinity}/{@code -Infinity}
 * literals, or refuses those when {@code allowNan} is off, as {@code allow_nan=False} does.
 *
 * <p>Jackson writes every {@code double} and {@code float}, from POJOs, arrays and {@code JsonNode} trees alike,
 * through the two {@code writeNumber} methods and {@code writeArray(double[])} overridden here.
 */
final class PythonJsonGenerator extends JsonGeneratorDelegate {

    private final boolean allowNan;

    /** Created at the first float, so documents without any do not pay for its buffers. */
    private @Nullable PythonFloat floats;

    PythonJsonGenerator(JsonGenerator delegate, boolean allowNan) {
        // false: tree and POJO writes go through this generator too, not straight to the delegate
        super(delegate, false);
        this.allowNan = allowNan;
    }

    @Override
    public JsonGenerator writeNumber(double value) {
        if (Double.isFinite(value)) {
            PythonFloat format = floats();
            int length = format.format(value);
            delegate.writeNumber(format.text(), 0, length);
        } else {
            writeNonFinite(Double.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }
        return this;
    }

    @Override
    public JsonGenerator writeNumber(float value) {
        if (Float.isFinite(value)) {
            PythonFloat format = floats();
            int length = format.format(value);
            delegate.writeNumber(format.text(), 0, length);
        } else {
            writeNonFinite(Float.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }
        return this;
    }

    @Override
    public JsonGenerator writeArray(double[] array, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, array.length);
        writeStartArray(array, length);
        for (int i = offset; i < offset + length; i++) {
            writeNumber(array[i]);
        }
        writeEndArray();
        return this;
    }

    private PythonFloat floats() {
        PythonFloat format = floats;
        if (format == null) {
            format = new PythonFloat();
            floats = format;
        }
        return format;
    }

    private void writeNonFinite(String literal) {
        if (!allowNan) {
            throw new StreamWriteException(this, literal + " is not valid JSON and allowNan is off");
        }
        delegate.writeNumber(literal);
    }
}
