package io.easynet.serializer;

import static io.easynet.serializer.DecoderFeeder.failure;
import static io.easynet.serializer.DecoderFeeder.packet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.easynet.protocol.DeserializeException;
import io.easynet.protocol.PacketBuffer;
import io.easynet.protocol.StreamProtocolParseException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** EasyNetwork's {@code JSONSerializer(use_lines=False)}: documents back to back, framed by their own syntax. */
class JsonSerializerWithoutLinesTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static final JsonSerializer<JsonNode> SERIALIZER =
            JsonSerializer.builder(JsonNode.class).useLines(false).build();

    // ---- encoding -------------------------------------------------------------------------------------------

    @Test
    void writesObjectsArraysAndStringsWithNothingAfterThemAndOtherValuesWithANewline() {
        ObjectNode golden = NODES.objectNode();
        golden.put("a", "é");
        golden.putArray("b").add(1).add(2.5).addNull().add(true);
        PacketBuffer out = new PacketBuffer(0);

        for (JsonNode packet : List.of(golden, NODES.arrayNode(), NODES.stringNode("s"), NODES.numberNode(12),
                NODES.numberNode(1e16), NODES.booleanNode(true), NODES.nullNode(), NODES.numberNode(Double.NaN),
                NODES.numberNode(Double.NEGATIVE_INFINITY), NODES.objectNode())) {
            SERIALIZER.encode(packet, out);
        }

        assertThat(new String(out.toByteArray(), StandardCharsets.US_ASCII)).isEqualTo(
                "{\"a\":\"\\u00e9\",\"b\":[1,2.5,null,true]}[]\"s\"12\n1e+16\ntrue\nnull\nNaN\n-Infinity\n{}");
    }

    @Test
    void oneShotFormIsTheDocumentWithoutAnyNewline() throws Exception {
        assertThat(SERIALIZER.serialize(NODES.numberNode(12))).containsExactly('1', '2');
        assertThat(SERIALIZER.deserialize(ascii(" 12 "), 0, 4)).isEqualTo(NODES.numberNode(12));
        assertThatThrownBy(() -> SERIALIZER.deserialize(ascii(" \n"), 0, 2)).isInstanceOf(DeserializeException.class)
                .hasMessage("no JSON document, only whitespace");
    }

    // ---- framing --------------------------------------------------------------------------------------------

    @Test
    void decodesDocumentsSentBackToBack() {
        DecoderFeeder<JsonNode> feeder = feeder(1024);

        assertThat(feeder.feed("{\"a\":1}[2]\"x\"3\ntrue\nnull\nNaN\n{}"))
                .containsExactly(packet(NODES.objectNode().put("a", 1)), packet(NODES.arrayNode().add(2)),
                        packet(NODES.stringNode("x")), packet(NODES.numberNode(3)), packet(NODES.booleanNode(true)),
                        packet(NODES.nullNode()), packet(NODES.numberNode(Double.NaN)), packet(NODES.objectNode()));
        assertThat(feeder.buffered()).isZero();
    }

    @Test
    void bracketsAndQuotesInsideStringsDoNotEndTheDocument() {
        DecoderFeeder<JsonNode> feeder = feeder(1024);

        assertThat(feeder.feed("{\"a\":\"}\"}[\"]\",\"[\"]\"q\\\"{\"\"back\\\\\"[{\"a\":[1,{\"b\":\"]\"}]}]"))
                .containsExactly(packet(NODES.objectNode().put("a", "}")),
                        packet(NODES.arrayNode().add("]").add("[")), packet(NODES.stringNode("q\"{")),
                        packet(NODES.stringNode("back\\")), packet(NODES.arrayNode().add(NODES.objectNode()
                                .set("a", NODES.arrayNode().add(1).add(NODES.objectNode().put("b", "]"))))));
    }

    @Test
    void escapeSplitAcrossReadsStillEscapesTheQuoteAfterIt() {
        DecoderFeeder<JsonNode> feeder = feeder(1024);

        assertThat(feeder.feed("\"a\\")).isEmpty();
        assertThat(feeder.feed("\"")).as("the quote is escaped, the string goes on").isEmpty();
        assertThat(feeder.feed("b\"")).containsExactly(packet(NODES.stringNode("a\"b")));
    }

    @Test
    void onlyBracketsOfTheOutermostKindAreCountedSoAMismatchedDocumentIsInvalidAndTheNextIsRead() {
        DecoderFeeder<JsonNode> feeder = feeder(1024);

        assertThat(feeder.feed("[{]{[}[1]"))
                .containsExactly(failure(Reason.INVALID_PACKET, 0), failure(Reason.INVALID_PACKET, 3),
                        packet(NODES.arrayNode().add(1)));
        assertThat(feeder.failures().getFirst()).hasMessageStartingWith("invalid JSON at column 3: ")
                .hasMessageEndingWith(" in \"[{]\" (packet at stream offset 0)");
    }

    @Test
    void plainValueWaitsForAByteOutsidePrintableAsciiSoSpacesAreInsideIt() {
        DecoderFeeder<JsonNode> feeder = feeder(1024);

        assertThat(feeder.feed("123")).isEmpty();
        assertThat(feeder.buffered()).isEqualTo(3);
        assertThat(feeder.feed("\n")).containsExactly(packet(NODES.numberNode(123)));
        assertThat(feeder.feed("1 2\n7\n")).containsExactly(failure(Reason.INVALID_PACKET, 4),
                packet(NODES.numberNode(7)));
        assertThat(feeder.failures().getFirst()).hasMessageStartingWith("invalid JSON at column 3: Trailing token")
                .hasMessageEndingWith(" in \"1 2\" (packet at stream offset 4)");
    }

    @Test
    void whitespaceAroundDocumentsIsSkippedAndOffsetsCountIt() {
        DecoderFeeder<JsonNode> feeder = feeder(1024);

        assertThat(feeder.feed(" \t\r\n{\"a\":1} \n \t")).containsExactly(packet(NODES.objectNode().put("a", 1)));
        assertThat(feeder.buffered()).as("whitespace after the document is consumed").isZero();
        assertThat(feeder.feed("\n\nnope\n")).containsExactly(failure(Reason.INVALID_PACKET, 17));
    }

    @Test
    void bytesThatCannotStartADocumentAreOneInvalidPacketAndTheNextDocumentIsRead() {
        DecoderFeeder<JsonNode> feeder = feeder(1024);

        assertThat(feeder.feed(JsonSerializerTest.bytes(0x00, 0x01, 0xFF, "{\"a\":1}")))
                .containsExactly(failure(Reason.INVALID_PACKET, 0), packet(NODES.objectNode().put("a", 1)));
        assertThat(feeder.failures().getFirst()).hasMessage("bytes that cannot start a JSON document: "
                + "\"\\x00\\x01\\xff\" (packet at stream offset 0)");
    }

    @Test
    void plainValueEndsAtAControlByteWhichThenCannotStartADocument() {
        DecoderFeeder<JsonNode> feeder = feeder(1024);

        assertThat(feeder.feed(JsonSerializerTest.bytes("12", 0x00, "[]")))
                .containsExactly(packet(NODES.numberNode(12)), failure(Reason.INVALID_PACKET, 2),
                        packet(NODES.arrayNode()));
    }

    @Test
    void invalidUtf8InADocumentIsInvalidAndTheNextDocumentIsRead() {
        DecoderFeeder<JsonNode> feeder = feeder(1024);

        assertThat(feeder.feed(JsonSerializerTest.bytes("\"", 0xC0, 0xAF, "\"[]")))
                .containsExactly(failure(Reason.INVALID_PACKET, 0), packet(NODES.arrayNode()));
        assertThat(feeder.failures().getFirst()).hasMessage("invalid UTF-8 at byte 1 of \"\\\"\\xc0\\xaf\\\"\" "
                + "(packet at stream offset 0)");
    }

    @Test
    void rawUtf8DocumentsDecode() {
        DecoderFeeder<JsonNode> feeder = feeder(1024);

        assertThat(feeder.feed("[\"é 😀\"]\"\u2028\""))
                .containsExactly(packet(NODES.arrayNode().add("é 😀")), packet(NODES.stringNode("\u2028")));
    }

    @Test
    void hundredThousandDeepArrayIsAParseErrorNotAStackOverflow() {
        DecoderFeeder<JsonNode> feeder = feeder(300_000);

        assertThat(feeder.feed("[".repeat(100_000) + "]".repeat(100_000) + "7\n"))
                .containsExactly(failure(Reason.INVALID_PACKET, 0), packet(NODES.numberNode(7)));
        assertThat(feeder.failures().getFirst()).hasMessageContaining("nesting depth (501) exceeds the maximum");
    }

    // ---- limit ----------------------------------------------------------------------------------------------

    @Test
    void documentOfExactlyTheLimitIsAcceptedAndOneByteMoreIsTooLargeAndSkipped() {
        DecoderFeeder<JsonNode> feeder = feeder(16);

        assertThat(feeder.feed("\"12345678901234\"\"123456789012345\"0\n"))
                .containsExactly(packet(NODES.stringNode("12345678901234")), failure(Reason.PACKET_TOO_LARGE, 16),
                        packet(NODES.numberNode(0)));
        assertThat(feeder.failures().getFirst()).hasMessage("JSON document of 17 bytes is larger than the 16-byte "
                + "limit; skipped (packet at stream offset 16)");
    }

    @Test
    void plainValueOfExactlyTheLimitWaitsForItsEndAndOneByteMoreIsTooLarge() {
        DecoderFeeder<JsonNode> feeder = feeder(4);

        assertThat(feeder.feed("1234")).isEmpty();
        assertThat(feeder.feed("\n12345")).containsExactly(packet(NODES.numberNode(1234)),
                failure(Reason.PACKET_TOO_LARGE, 5));
        assertThat(feeder.feed("678\n[]")).containsExactly(packet(NODES.arrayNode()));
    }

    @Test
    void oversizeDocumentIsReportedOnceAsSoonAsItPassesTheLimitAndSkippedToItsEndWhateverItsStrings() {
        DecoderFeeder<JsonNode> feeder = feeder(16);
        String oversize = "{\"a\":\"}]\\\"\",\"b\":[{\"c\":\"{\"}],\"d\":\"" + "x".repeat(40) + "\"}";

        List<DecoderFeeder.Outcome> outcomes = new ArrayList<>();
        for (byte b : ascii(oversize)) {
            outcomes.addAll(feeder.feed(new byte[] {b}));
            assertThat(feeder.buffered()).isLessThanOrEqualTo(16);
            if (outcomes.isEmpty()) {
                assertThat(feeder.buffered()).as("still under the limit").isPositive();
            }
        }
        assertThat(outcomes).containsExactly(failure(Reason.PACKET_TOO_LARGE, 0));
        assertThat(feeder.failures().getFirst()).hasMessage("JSON document of at least 17 bytes is larger than the "
                + "16-byte limit; skipped up to its end (packet at stream offset 0)");

        assertThat(feeder.feed("{\"ok\":true}")).containsExactly(packet(NODES.objectNode().put("ok", true)));
        assertThat(feeder.feed("x\n")).containsExactly(failure(Reason.INVALID_PACKET, oversize.length() + 11));
    }

    @Test
    void oversizePlainValueIsSkippedUpToTheByteThatEndsIt() {
        DecoderFeeder<JsonNode> feeder = feeder(8);

        assertThat(feeder.feed("1234567890")).containsExactly(failure(Reason.PACKET_TOO_LARGE, 0));
        assertThat(feeder.buffered()).isZero();
        assertThat(feeder.feed("1234567890")).isEmpty();
        assertThat(feeder.feed("\n5\n")).containsExactly(packet(NODES.numberNode(5)));
    }

    @Test
    void nonPositiveLimitIsRefused() {
        assertThatThrownBy(() -> SERIALIZER.newDecoder(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxPacketSize must be positive, got 0");
    }

    private static DecoderFeeder<JsonNode> feeder(int maxPacketSize) {
        return new DecoderFeeder<>(SERIALIZER.newDecoder(maxPacketSize));
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
