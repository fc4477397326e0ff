package io.easynet.serializer;

import static io.easynet.serializer.DecoderFeeder.failure;
import static io.easynet.serializer.DecoderFeeder.packet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.easynet.protocol.DeserializeException;
import io.easynet.protocol.PacketBuffer;
import io.easynet.protocol.StreamProtocolParseException.Reason;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.core.JacksonException;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;

class JsonSerializerTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    record Point(int x, String label) {
    }

    /** A bean Jackson cannot write: its only property's getter throws. */
    public static final class Unwritable {
        public String getValue() {
            throw new IllegalStateException("getter exploded");
        }
    }

    // ---- encoding -------------------------------------------------------------------------------------------

    @Test
    void encodesOneCompactDocumentTerminatedByNewline() {
        ObjectNode document = NODES.objectNode();
        document.put("a", 1);
        document.putArray("b").add(true).add(NODES.nullNode()).add("x y");

        assertThat(encode(JsonSerializer.tree(), document))
                .isEqualTo(ascii("{\"a\":1,\"b\":[true,null,\"x y\"]}\n"));
    }

    @Test
    void escapesNonAsciiCharactersAsLowerCaseUnicodeEscapes() {
        JsonSerializer<JsonNode> serializer = JsonSerializer.tree();

        assertThat(encode(serializer, NODES.stringNode("é"))).isEqualTo(ascii("\"\\u00e9\"\n"));
        assertThat(encode(serializer, NODES.stringNode("€")))
                .as("hex digits are lower case").isEqualTo(ascii("\"\\u20ac\"\n"));
        assertThat(encode(serializer, NODES.stringNode("😀")))
                .as("a character outside the BMP is written as its surrogate pair")
                .isEqualTo(ascii("\"\\ud83d\\ude00\"\n"));
    }

    @Test
    void encodedBytesArePrintableAsciiWhateverTheText() {
        byte[] encoded = encode(JsonSerializer.tree(), NODES.stringNode("日本語 ÿ 😀 \u2028 naïve"));

        assertThat(new String(encoded, StandardCharsets.US_ASCII))
                .isEqualTo("\"\\u65e5\\u672c\\u8a9e \\u00ff \\ud83d\\ude00 \\u2028 na\\u00efve\"\n");
        for (int i = 0; i < encoded.length - 1; i++) {
            assertThat(encoded[i]).as("byte %d", i).isBetween((byte) 0x20, (byte) 0x7e);
        }
    }

    @Test
    void ignoresIndentOutputEnabledOnTheApplicationsMapper() {
        JsonMapper indenting = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        assertThat(indenting.writeValueAsString(new Point(1, "p"))).as("the mapper itself indents").contains("\n");

        JsonSerializer<Point> serializer = JsonSerializer.of(indenting, Point.class);

        assertThat(encode(serializer, new Point(1, "p"))).isEqualTo(ascii("{\"x\":1,\"label\":\"p\"}\n"));
    }

    @Test
    void stringsContainingNewlinesAreEscapedSoTheDocumentStaysOnOneLine() {
        byte[] encoded = encode(JsonSerializer.tree(), NODES.stringNode("line one\nline two\r"));

        assertThat(encoded).isEqualTo(ascii("\"line one\\nline two\\r\"\n"));
        assertThat(Arrays.copyOf(encoded, encoded.length - 1)).doesNotContain((byte) '\n');
    }

    @Test
    void appendsAfterWhatTheBufferAlreadyHolds() {
        JsonSerializer<JsonNode> serializer = JsonSerializer.tree();
        PacketBuffer out = new PacketBuffer(4);

        serializer.encode(NODES.numberNode(1), out);
        serializer.encode(NODES.arrayNode(), out);

        assertThat(out.toByteArray()).isEqualTo(ascii("1\n[]\n"));
    }

    /**
     * Expected strings produced by Python 3.11's {@code json.dumps(value, separators=(',', ':')) + "\n"}, the
     * wire format of EasyNetwork's {@code JSONSerializer}, and hard-coded here.
     */
    static Stream<Arguments> pythonJsonDumps() {
        return Stream.of(
                Arguments.of("object with every scalar type",
                        map("name", "café", "n", 42, "ok", true, "none", null, "list", list(1, 2.5, "x")),
                        "{\"name\":\"caf\\u00e9\",\"n\":42,\"ok\":true,\"none\":null,\"list\":[1,2.5,\"x\"]}\n"),
                Arguments.of("escapes of quotes, backslash and control characters",
                        map("text", "tab\there \"quoted\" back\\slash / a\nb\r", "ctl", "\u0001\u001f\b\f"),
                        "{\"text\":\"tab\\there \\\"quoted\\\" back\\\\slash / a\\nb\\r\","
                                + "\"ctl\":\"\\u0001\\u001f\\b\\f\"}\n"),
                Arguments.of("non-ASCII and literals in an array",
                        list("\u2028", "ÿ", "€", 0, true, false, null),
                        "[\"\\u2028\",\"\\u00ff\",\"\\u20ac\",0,true,false,null]\n"),
                Arguments.of("nested empty containers", map("nested", map("deep", list(list(), map()))),
                        "{\"nested\":{\"deep\":[[],{}]}}\n"),
                Arguments.of("surrogate pair then BMP character", "😀é", "\"\\ud83d\\ude00\\u00e9\"\n"),
                Arguments.of("CJK string", "日本語", "\"\\u65e5\\u672c\\u8a9e\"\n"),
                Arguments.of("integer beyond double precision", 9007199254740993L, "9007199254740993\n"),
                Arguments.of("negative integer", -17, "-17\n"),
                Arguments.of("short decimal fractions", list(0.1, -0.5), "[0.1,-0.5]\n"),
                Arguments.of("empty array", list(), "[]\n"),
                Arguments.of("empty object", map(), "{}\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pythonJsonDumps")
    void encodesByteForByteLikePythonJsonDumpsWithCompactSeparators(String description, Object value,
            String python) {
        assertThat(new String(encode(JsonSerializer.of(Object.class), value), StandardCharsets.US_ASCII))
                .isEqualTo(python);
        assertThat(encode(JsonSerializer.of(Object.class), value)).isEqualTo(ascii(python));
    }

    @Test
    void unencodableValueIsIllegalArgumentAndLeavesTheBufferAtItsPreviousSize() {
        JsonSerializer<Unwritable> serializer = JsonSerializer.of(Unwritable.class);
        PacketBuffer out = new PacketBuffer(8);
        out.write(ascii("earlier\n"), 0, 8);

        assertThatThrownBy(() -> serializer.encode(new Unwritable(), out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot write [simple type, class " + Unwritable.class.getName() + "] as JSON: ")
                .hasMessageContaining("getter exploded")
                .hasCauseInstanceOf(JacksonException.class);
        assertThat(out.size()).isEqualTo(8);
        assertThat(out.toByteArray()).isEqualTo(ascii("earlier\n"));
    }

    @Test
    void recordTypeRoundTripsThroughOf() {
        JsonSerializer<Point> serializer = JsonSerializer.of(Point.class);
        DecoderFeeder<Point> feeder = new DecoderFeeder<>(serializer.newDecoder(1024));

        byte[] encoded = encode(serializer, new Point(-3, "né"));

        assertThat(encoded).isEqualTo(ascii("{\"x\":-3,\"label\":\"n\\u00e9\"}\n"));
        assertThat(feeder.feed(encoded)).containsExactly(packet(new Point(-3, "né")));
        assertThat(feeder.feed("{\"label\":\"raw \u00e9 in UTF-8\",\"x\":7}\n"))
                .containsExactly(packet(new Point(7, "raw é in UTF-8")));
    }

    @Test
    void genericTypeBindsEachElementToTheRecord() throws Exception {
        JsonSerializer<List<Point>> serializer = JsonSerializer.<List<Point>>builder(
                new TypeReference<List<Point>>() { }.getType()).build();
        DecoderFeeder<List<Point>> feeder = new DecoderFeeder<>(serializer.newDecoder(1024));
        List<Point> points = List.of(new Point(1, "a"), new Point(2, "b"));

        byte[] encoded = encode(serializer, points);

        assertThat(encoded).isEqualTo(ascii("[{\"x\":1,\"label\":\"a\"},{\"x\":2,\"label\":\"b\"}]\n"));
        assertThat(feeder.feed(encoded)).containsExactly(packet(points));
        byte[] document = serializer.serialize(points);
        assertThat(serializer.deserialize(document, 0, document.length)).isEqualTo(points);
    }

    @Test
    void documentThatDoesNotFitTheRecordIsInvalidAndTheNextLineStillDecodes() {
        DecoderFeeder<Point> feeder = new DecoderFeeder<>(JsonSerializer.of(Point.class).newDecoder(1024));

        assertThat(feeder.feed("{\"x\":\"three\",\"label\":\"a\"}\n{\"x\":3,\"label\":\"b\"}\n"))
                .containsExactly(failure(Reason.INVALID_PACKET, 0), packet(new Point(3, "b")));
        assertThat(feeder.failures().getFirst()).hasMessageStartingWith("invalid JSON at column ")
                .hasMessageEndingWith(" in \"{\\\"x\\\":\\\"three\\\",\\\"label\\\":\\\"a\\\"}\" (packet at stream offset 0)");
    }

    @Test
    void writesEasyNetworksDefaultGoldenBytes() {
        ObjectNode document = NODES.objectNode();
        document.put("a", "é");
        document.putArray("b").add(1).add(2.5).addNull().add(true);

        // json.dumps({"a": "é", "b": [1, 2.5, None, True]}, separators=(',', ':')) + "\n"
        assertThat(encode(JsonSerializer.tree(), document))
                .isEqualTo(ascii("{\"a\":\"\\u00e9\",\"b\":[1,2.5,null,true]}\n"));
    }

    /** Every escape class, with {@code ensure_ascii=True}: Python's output, hard-coded. */
    @Test
    void escapesEveryCharacterClassAsPythonDoesWithEnsureAscii() {
        String text = "q\" b\\ \b\f\n\r\t \u0000\u0001\u001f \u007f é \u2028 😀 / \u00ff\u0100\uffff";

        assertThat(encode(JsonSerializer.tree(), NODES.stringNode(text))).isEqualTo(ascii(
                "\"q\\\" b\\\\ \\b\\f\\n\\r\\t \\u0000\\u0001\\u001f \\u007f \\u00e9 \\u2028 \\ud83d\\ude00 / "
                        + "\\u00ff\\u0100\\uffff\"\n"));
    }

    /** The same text with {@code ensure_ascii=False}: raw UTF-8, DEL and U+2028 included, control characters escaped. */
    @Test
    void writesRawUtf8WithoutEnsureAsciiButStillEscapesControlCharacters() {
        String text = "q\" b\\ \b\f\n\r\t \u0000\u0001\u001f \u007f é \u2028 😀 / \u00ff\u0100\uffff";
        JsonSerializer<JsonNode> serializer = JsonSerializer.builder(JsonNode.class).ensureAscii(false).build();

        // json.dumps(text, separators=(',', ':'), ensure_ascii=False).encode('utf-8') + b"\n"
        assertThat(encode(serializer, NODES.stringNode(text))).isEqualTo(bytes(
                "\"q\\\" b\\\\ \\b\\f\\n\\r\\t \\u0000\\u0001\\u001f ", 0x7F, " ", 0xC3, 0xA9, " ", 0xE2, 0x80, 0xA8,
                " ", 0xF0, 0x9F, 0x98, 0x80, " / ", 0xC3, 0xBF, 0xC4, 0x80, 0xEF, 0xBF, 0xBF, "\"\n"));
    }

    @Test
    void writesALoneSurrogateAsAnEscapeEvenWithoutEnsureAscii() {
        JsonSerializer<JsonNode> serializer = JsonSerializer.builder(JsonNode.class).ensureAscii(false).build();

        assertThat(serializer.serialize(NODES.stringNode("a\ud800b"))).isEqualTo(ascii("\"a\\ud800b\""));
    }

    /** {@code repr()} of each float and {@code json.dumps} of it, from Python 3.11. */
    static Stream<Arguments> pythonFloats() {
        return Stream.of(
                Arguments.of(1.0, "1.0"), Arguments.of(0.1, "0.1"), Arguments.of(2.5, "2.5"),
                Arguments.of(1e16, "1e+16"), Arguments.of(1e-05, "1e-05"), Arguments.of(-0.0, "-0.0"),
                Arguments.of(0.0, "0.0"), Arguments.of(1e300, "1e+300"), Arguments.of(Double.NaN, "NaN"),
                Arguments.of(Double.POSITIVE_INFINITY, "Infinity"), Arguments.of(Double.NEGATIVE_INFINITY, "-Infinity"),
                Arguments.of(123456789012345680.0, "1.2345678901234568e+17"), Arguments.of(0.0001, "0.0001"),
                Arguments.of(0.00001234, "1.234e-05"), Arguments.of(Double.MIN_VALUE, "5e-324"),
                Arguments.of(1e15, "1000000000000000.0"), Arguments.of(Double.MAX_VALUE, "1.7976931348623157e+308"),
                Arguments.of(1e22, "1e+22"), Arguments.of(1e23, "1e+23"), Arguments.of(0.1 + 0.2, "0.30000000000000004"),
                Arguments.of(100.0, "100.0"), Arguments.of(1234567890123456.0, "1234567890123456.0"),
                Arguments.of(12345678901234567.0, "1.2345678901234568e+16"), Arguments.of(-1.5e-7, "-1.5e-07"),
                Arguments.of(Double.MIN_NORMAL, "2.2250738585072014e-308"),
                Arguments.of(9007199254740993.0, "9007199254740992.0"), Arguments.of(1.0 / 3, "0.3333333333333333"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("pythonFloats")
    void writesDoublesWithPythonReprDigitsWhereverTheyAppear(double value, String python) {
        assertThat(JsonSerializer.tree().serialize(NODES.numberNode(value))).as("tree node").isEqualTo(ascii(python));
        assertThat(JsonSerializer.of(Double.class).serialize(value)).as("boxed root").isEqualTo(ascii(python));
        assertThat(JsonSerializer.of(double[].class).serialize(new double[] {value, value}))
                .as("primitive array").isEqualTo(ascii("[" + python + "," + python + "]"));
        assertThat(JsonSerializer.of(Object.class).serialize(map("v", List.of(value))))
                .as("in a map and a list").isEqualTo(ascii("{\"v\":[" + python + "]}"));
    }

    record Measure(double value, float ratio, double[] samples, List<Float> floats) {
    }

    @Test
    void writesRecordFloatingPointFieldsAsPythonAndFloatsWithTheirOwnShortestDigits() {
        Measure measure = new Measure(1e16, 0.1f, new double[] {1.0, 1e-05, -0.0}, List.of(2.5f, 1e16f));

        // 0.1f is written 0.1, as Python writes the double 0.1: the float's digits, not the double it widens to
        assertThat(JsonSerializer.of(Measure.class).serialize(measure)).isEqualTo(ascii(
                "{\"value\":1e+16,\"ratio\":0.1,\"samples\":[1.0,1e-05,-0.0],\"floats\":[2.5,1e+16]}"));
    }

    @Test
    void writesIntegersWholeHoweverLong() {
        List<Object> integers = List.of(BigInteger.TWO.pow(64), BigInteger.TWO.pow(100).negate(), 0, Long.MIN_VALUE);

        assertThat(JsonSerializer.of(Object.class).serialize(integers)).isEqualTo(ascii(
                "[18446744073709551616,-1267650600228229401496703205376,0,-9223372036854775808]"));
    }

    @Test
    void refusesNanAndInfinityWhenAllowNanIsOffLeavingTheBufferAsItWas() {
        JsonSerializer<Object> serializer = JsonSerializer.builder(Object.class).allowNan(false).build();
        PacketBuffer out = new PacketBuffer(8);
        out.write(ascii("earlier\n"), 0, 8);

        assertThatThrownBy(() -> serializer.encode(map("ok", 1.5, "bad", List.of(Double.NEGATIVE_INFINITY)), out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot write [simple type, class java.lang.Object] as JSON: -Infinity is not valid JSON "
                        + "and allowNan is off");
        assertThatThrownBy(() -> serializer.encode(Float.NaN, out)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("NaN is not valid JSON and allowNan is off");
        assertThat(out.toByteArray()).isEqualTo(ascii("earlier\n"));
        assertThat(serializer.serialize(1.5)).isEqualTo(ascii("1.5"));
    }

    @Test
    void forcesPythonsOutputWhateverTheMappersWriteFeaturesAndLeavesTheMapperUnchanged() {
        JsonMapper mapper = JsonMapper.builder()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .enable(JsonWriteFeature.ESCAPE_FORWARD_SLASHES, JsonWriteFeature.WRITE_NUMBERS_AS_STRINGS,
                        JsonWriteFeature.WRITE_HEX_UPPER_CASE)
                .build();
        String before = mapper.writeValueAsString(map("p", "/é", "n", 1.5));

        JsonSerializer<Object> serializer = JsonSerializer.of(mapper, Object.class);

        assertThat(serializer.serialize(map("p", "/é", "n", 1.5))).isEqualTo(ascii("{\"p\":\"/\\u00e9\",\"n\":1.5}"));
        assertThat(before).as("the mapper indents, escapes slashes and quotes numbers")
                .contains("\n", "\\/", "\"1.5\"");
        assertThat(mapper.writeValueAsString(map("p", "/é", "n", 1.5))).isEqualTo(before);
    }

    @Test
    void builderDefaultsAreEasyNetworksAndShowInToString() {
        assertThat(JsonSerializer.tree()).hasToString("JsonSerializer[[simple type, class "
                + "tools.jackson.databind.JsonNode], ensureAscii=true, allowNan=true, strict=true, useLines=true]");
        assertThat(JsonSerializer.builder(Point.class).ensureAscii(false).allowNan(false).strict(false)
                .useLines(false).build())
                .hasToString("JsonSerializer[[simple type, class " + Point.class.getName()
                        + "], ensureAscii=false, allowNan=false, strict=false, useLines=false]");
    }

    @Test
    void builderRefusesNulls() {
        assertThatThrownBy(() -> JsonSerializer.builder(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("type");
        assertThatThrownBy(() -> JsonSerializer.builder(Point.class).mapper(null))
                .isInstanceOf(NullPointerException.class).hasMessage("mapper");
    }

    // ---- decoding -------------------------------------------------------------------------------------------

    @Test
    void treeDecodesObjectsArraysStringsAndNumbers() {
        DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(JsonSerializer.tree().newDecoder(1024));

        ObjectNode object = NODES.objectNode();
        object.putArray("a").add(1).add(2);
        object.put("b", "c");
        ArrayNode array = NODES.arrayNode().add(true).add(false).add(NODES.objectNode());

        assertThat(feeder.feed("{\"a\":[1,2],\"b\":\"c\"}\n[true,false,{}]\n\"caf\\u00e9\"\n\"caf\u00e9\"\n3.5\n-12\n"))
                .containsExactly(packet(object), packet(array), packet(NODES.stringNode("café")),
                        packet(NODES.stringNode("café")), packet(NODES.numberNode(3.5)),
                        packet(NODES.numberNode(-12)));
        assertThat(feeder.buffered()).isZero();
    }

    @Test
    void nullLineIsDeliveredAsANullNodePacketNotAsNeedMoreBytes() throws Exception {
        var decoder = JsonSerializer.tree().newDecoder(1024);
        ByteBuffer buffer = ByteBuffer.wrap(ascii("null\n"));
        List<JsonNode> sunk = new ArrayList<>();

        assertThat(decoder.decode(buffer, sunk::add)).isTrue();

        assertThat(sunk).hasSize(1);
        assertThat(sunk.getFirst()).isSameAs(NullNode.getInstance());
        assertThat(buffer.position()).isEqualTo(5);
        assertThat(decoder.decode(buffer, sunk::add)).isFalse();
        assertThat(sunk).hasSize(1);
    }

    @Test
    void nullLineBoundToARecordIsANullPacket() {
        DecoderFeeder<Point> feeder = new DecoderFeeder<>(JsonSerializer.of(Point.class).newDecoder(1024));

        assertThat(feeder.feed("null\n")).containsExactly(packet(null));
    }

    @Test
    void severalLinesInOneChunkDecodeOneAtATime() throws Exception {
        var decoder = JsonSerializer.tree().newDecoder(1024);
        ByteBuffer buffer = ByteBuffer.wrap(ascii("1\n[2]\n{\"three\":3}\n{\"par"));
        List<JsonNode> sunk = new ArrayList<>();

        assertThat(decoder.decode(buffer, sunk::add)).isTrue();
        assertThat(sunk).containsExactly(NODES.numberNode(1));
        assertThat(buffer.position()).isEqualTo(2);

        assertThat(decoder.decode(buffer, sunk::add)).isTrue();
        assertThat(sunk).last().isEqualTo(NODES.arrayNode().add(2));
        assertThat(buffer.position()).isEqualTo(6);

        assertThat(decoder.decode(buffer, sunk::add)).isTrue();
        assertThat(sunk).last().isEqualTo(NODES.objectNode().put("three", 3));
        assertThat(buffer.position()).isEqualTo(18);

        assertThat(decoder.decode(buffer, sunk::add)).as("the partial document needs more bytes").isFalse();
        assertThat(sunk).hasSize(3);
        assertThat(buffer.position()).as("the partial document is left unconsumed").isEqualTo(18);
    }

    @Test
    void documentFedByteByByteDecodesExactlyOnceWhenItsNewlineArrives() {
        DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(JsonSerializer.tree().newDecoder(1024));
        byte[] line = "{\"key\":\"valu\u00e9\",\"n\":[1,2,3]}\n".getBytes(StandardCharsets.UTF_8);

        List<DecoderFeeder.Outcome> beforeNewline = feeder.feedByteByByte(Arrays.copyOf(line, line.length - 1));

        assertThat(beforeNewline).isEmpty();
        assertThat(feeder.buffered()).isEqualTo(line.length - 1);

        ObjectNode expected = NODES.objectNode();
        expected.put("key", "valué");
        expected.putArray("n").add(1).add(2).add(3);
        assertThat(feeder.feed(new byte[] {'\n'})).containsExactly(packet(expected));
        assertThat(feeder.buffered()).isZero();
    }

    @Test
    void malformedLineIsInvalidPacketAtItsStreamOffsetAndTheNextLineStillDecodes() {
        DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(JsonSerializer.tree().newDecoder(1024));

        assertThat(feeder.feed("{\"a\":1}\n{bad\n{\"b\":2}\n"))
                .containsExactly(packet(NODES.objectNode().put("a", 1)), failure(Reason.INVALID_PACKET, 8),
                        packet(NODES.objectNode().put("b", 2)));
        assertThat(feeder.failures().getFirst())
                .hasMessageStartingWith("invalid JSON at column 2: Unexpected character ('b' (code 98))")
                .hasMessageEndingWith(" in \"{bad\" (packet at stream offset 8)")
                .hasCauseInstanceOf(JacksonException.class);
    }

    @Test
    void truncatedDocumentOnItsLineIsInvalidPacket() {
        DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(JsonSerializer.tree().newDecoder(1024));

        assertThat(feeder.feed("[1,2\ntrue\n"))
                .containsExactly(failure(Reason.INVALID_PACKET, 0), packet(NODES.booleanNode(true)));
        assertThat(feeder.failures().getFirst()).hasMessageStartingWith("invalid JSON at column 5: ")
                .hasMessageContaining("Unexpected end-of-input")
                .hasMessageEndingWith(" in \"[1,2\" (packet at stream offset 0)");
    }

    @Test
    void emptyAndBlankLinesAreInvalidPacketsAtTheirOffsetsAndTheNextLineStillDecodes() {
        DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(JsonSerializer.tree().newDecoder(1024));

        assertThat(feeder.feed("{\"a\":1}\n\n \t\r\n[]\n"))
                .containsExactly(packet(NODES.objectNode().put("a", 1)), failure(Reason.INVALID_PACKET, 8),
                        failure(Reason.INVALID_PACKET, 9), packet(NODES.arrayNode()));
        assertThat(feeder.failures()).extracting(Throwable::getMessage).containsExactly(
                "empty line where a JSON document was expected (packet at stream offset 8)",
                "empty line where a JSON document was expected (packet at stream offset 9)");
    }

    @Test
    void trailingContentAfterTheDocumentIsInvalidPacketAndTheNextLineStillDecodes() {
        DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(JsonSerializer.tree().newDecoder(1024));

        assertThat(feeder.feed("7\n{\"a\":1} {\"b\":2}\n8\n"))
                .containsExactly(packet(NODES.numberNode(7)), failure(Reason.INVALID_PACKET, 2),
                        packet(NODES.numberNode(8)));
        assertThat(feeder.failures().getFirst())
                .hasMessageStartingWith("invalid JSON at column 9: Trailing token (`JsonToken.START_OBJECT`)")
                .hasMessageEndingWith(" in \"{\\\"a\\\":1} {\\\"b\\\":2}\" (packet at stream offset 2)");
    }

    @Test
    void streamOffsetsCountEveryByteOfEarlierLinesIncludingMultiByteCharacters() {
        DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(JsonSerializer.tree().newDecoder(1024));

        // "é" is two bytes in UTF-8: the first line is 5 bytes long, quotes and newline included.
        assertThat(feeder.feed("\"\u00e9\"\n")).containsExactly(packet(NODES.stringNode("é")));
        assertThat(feeder.feed("nope\n")).containsExactly(failure(Reason.INVALID_PACKET, 5));
        assertThat(feeder.feed("\n")).containsExactly(failure(Reason.INVALID_PACKET, 10));
    }

    @Test
    void carriageReturnBeforeTheNewlineIsWhitespaceSoCrlfLinesDecode() {
        DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(JsonSerializer.tree().newDecoder(1024));

        assertThat(feeder.feed("{\"a\":1}\r\n[]\r\n"))
                .containsExactly(packet(NODES.objectNode().put("a", 1)), packet(NODES.arrayNode()));
    }

    @Test
    void lineOfExactlyTheLimitIsAcceptedAndOneByteMoreIsTooLarge() {
        DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(JsonSerializer.tree().newDecoder(16));

        assertThat(feeder.feed("\"12345678901234\"\n\"123456789012345\"\n0\n"))
                .containsExactly(packet(NODES.stringNode("12345678901234")), failure(Reason.PACKET_TOO_LARGE, 17),
                        packet(NODES.numberNode(0)));
        assertThat(feeder.failures().getFirst()).hasMessage("packet of at least 17 bytes is larger than the 16-byte "
                + "limit; skipped up to the next separator (packet at stream offset 17)");
    }

    @Test
    void oversizeLineIsReportedOnceAndSkippedUpToItsNewlineAcrossChunksThenTheNextLineDecodes() {
        DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(JsonSerializer.tree().newDecoder(16));

        assertThat(feeder.feed("[1,2,3,4,5,")).as("11 bytes, under the limit").isEmpty();
        assertThat(feeder.feed("6,7,8,9,")).as("19 bytes, over the limit")
                .containsExactly(failure(Reason.PACKET_TOO_LARGE, 0));
        assertThat(feeder.buffered()).as("nothing of the oversize line is kept").isZero();
        assertThat(feeder.feed("10,11,12,13,14,15,16,17,18,19,20")).as("reported once only").isEmpty();
        assertThat(feeder.buffered()).isZero();
        assertThat(feeder.feed("]\n{\"ok\":true}\n"))
                .containsExactly(packet(NODES.objectNode().put("ok", true)));
        // The oversize line was 11 + 8 + 32 + 2 = 53 bytes, newline included; {"ok":true} and its newline 12.
        assertThat(feeder.feed("x\n")).containsExactly(failure(Reason.INVALID_PACKET, 65));

        assertThat(feeder.failures()).first().extracting(Throwable::getMessage).isEqualTo("packet of at least 19 "
                + "bytes is larger than the 16-byte limit; skipped up to the next separator (packet at stream offset 0)");
    }

    @Test
    void oversizeLineFedByteByByteIsReportedOnceAsSoonAsItPassesTheLimit() {
        DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(JsonSerializer.tree().newDecoder(16));
        String oversize = "\"" + "a".repeat(40) + "\"\n";

        List<DecoderFeeder.Outcome> outcomes = new ArrayList<>();
        byte[] bytes = ascii(oversize);
        for (int i = 0; i < bytes.length; i++) {
            outcomes.addAll(feeder.feed(new byte[] {bytes[i]}));
            if (i == 16) {
                assertThat(outcomes).as("reported at the 17th byte").hasSize(1);
            }
            assertThat(feeder.buffered()).isLessThanOrEqualTo(16);
        }
        outcomes.addAll(feeder.feed("[]\n"));

        assertThat(outcomes).containsExactly(failure(Reason.PACKET_TOO_LARGE, 0), packet(NODES.arrayNode()));
    }

    @Test
    void nonPositiveLimitIsRefused() {
        assertThatThrownBy(() -> JsonSerializer.tree().newDecoder(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxPacketSize must be positive, got 0");
    }

    @Test
    void readsNanAndInfinityLiteralsAndWritesThemBack() {
        DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(JsonSerializer.tree().newDecoder(1024));

        List<DecoderFeeder.Outcome> outcomes = feeder.feed("NaN\n[Infinity,-Infinity]\n");

        assertThat(outcomes).containsExactly(packet(NODES.numberNode(Double.NaN)), packet(NODES.arrayNode()
                .add(Double.POSITIVE_INFINITY).add(Double.NEGATIVE_INFINITY)));
        JsonNode array = (JsonNode) ((DecoderFeeder.Packet) outcomes.get(1)).value();
        assertThat(JsonSerializer.tree().serialize(array)).isEqualTo(ascii("[Infinity,-Infinity]"));
    }

    @Test
    void repeatedObjectKeyKeepsTheLastValueAsPythonDoes() throws Exception {
        assertThat(JsonSerializer.tree().deserialize(ascii("{\"a\":1,\"a\":2}"), 0, 13))
                .isEqualTo(NODES.objectNode().put("a", 2));
    }

    @Test
    void rawControlCharacterInAStringIsInvalidUnlessStrictIsOff() throws Exception {
        byte[] document = ascii("\"a\u0001b\"");

        assertThatThrownBy(() -> JsonSerializer.tree().deserialize(document, 0, document.length))
                .isInstanceOf(DeserializeException.class).hasMessageContaining("CTRL-CHAR, code 1");
        assertThat(JsonSerializer.builder(JsonNode.class).strict(false).build()
                .deserialize(document, 0, document.length)).isEqualTo(NODES.stringNode("a\u0001b"));
    }

    static Stream<Arguments> invalidUtf8() {
        return Stream.of(
                Arguments.of("overlong slash", bytes("\"", 0xC0, 0xAF, "\""), 1),
                Arguments.of("overlong three-byte", bytes("\"ab", 0xE0, 0x80, 0xAF, "\""), 3),
                Arguments.of("encoded surrogate", bytes("\"", 0xED, 0xA0, 0x80, "\""), 1),
                Arguments.of("beyond U+10FFFF", bytes("\"", 0xF4, 0x90, 0x80, 0x80, "\""), 1),
                Arguments.of("lone continuation byte", bytes("\"", 0x80, "\""), 1),
                Arguments.of("truncated sequence", bytes("\"x", 0xE2, 0x82, "\""), 2),
                Arguments.of("invalid byte", bytes("\"", 0xFF, "\""), 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidUtf8")
    void invalidUtf8IsRefusedAsPythonsStrictCodecDoes(String description, byte[] document, int at) {
        assertThatThrownBy(() -> JsonSerializer.tree().deserialize(document, 0, document.length))
                .isInstanceOf(DeserializeException.class)
                .hasMessageStartingWith("invalid UTF-8 at byte " + at + " of \"");
    }

    @Test
    void validFourByteUtf8Decodes() throws Exception {
        byte[] document = bytes("\"", 0xF0, 0x9F, 0x98, 0x80, 0xF4, 0x8F, 0xBF, 0xBF, "\"");

        assertThat(JsonSerializer.tree().deserialize(document, 0, document.length))
                .isEqualTo(NODES.stringNode("😀\udbff\udfff"));
    }

    @Test
    void hundredThousandDeepArrayLineIsAParseErrorNotAStackOverflow() {
        DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(JsonSerializer.tree().newDecoder(300_000));
        String deep = "[".repeat(100_000) + "]".repeat(100_000);

        assertThat(feeder.feed(deep + "\n[]\n")).containsExactly(failure(Reason.INVALID_PACKET, 0),
                packet(NODES.arrayNode()));
        assertThat(feeder.failures().getFirst()).hasMessageContaining("nesting depth (501) exceeds the maximum");
    }

    @Test
    void hundredThousandDeepTreeIsRefusedWhenSentNotAStackOverflow() {
        ArrayNode root = NODES.arrayNode();
        ArrayNode current = root;
        for (int i = 0; i < 100_000; i++) {
            current = current.addArray();
        }

        assertThatThrownBy(() -> JsonSerializer.tree().serialize(root)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nesting depth (501) exceeds the maximum");
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static <T> byte[] encode(JsonSerializer<T> serializer, T value) {
        PacketBuffer out = new PacketBuffer(0);
        serializer.encode(value, out);
        return out.toByteArray();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** Bytes from strings (as ASCII) and integers (as single bytes), in order. */
    static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            if (part instanceof String text) {
                out.writeBytes(ascii(text));
            } else {
                out.write((Integer) part);
            }
        }
        return out.toByteArray();
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static List<Object> list(Object... values) {
        return Arrays.asList(values);
    }
}
