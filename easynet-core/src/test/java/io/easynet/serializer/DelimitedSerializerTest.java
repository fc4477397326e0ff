package io.easynet.serializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.easynet.protocol.DeserializeException;
import io.easynet.protocol.PacketBuffer;
import io.easynet.protocol.StreamDecoder;
import io.easynet.protocol.StreamProtocolParseException;
import io.easynet.protocol.StreamProtocolParseException.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The extension base for separator-framed serializers, with a user-style serializer on a two-byte separator. */
class DelimitedSerializerTest {

    /** Comma-separated rows ended by "||": the kind of serializer a user writes on the base class. */
    static final class RowSerializer extends DelimitedSerializer<List<String>> {

        RowSerializer() {
            super("||".getBytes(StandardCharsets.US_ASCII));
        }

        @Override
        public byte[] serialize(List<String> row) {
            return String.join(",", row).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public List<String> deserialize(byte[] data, int offset, int length) throws DeserializeException {
            String text = new String(data, offset, length, StandardCharsets.UTF_8);
            if (text.isEmpty()) {
                throw new DeserializeException("empty row");
            }
            return List.of(text.split(","));
        }
    }

    @Test
    void userSerializerIsFramedWithItsSeparatorBothWays() throws Exception {
        RowSerializer rows = new RowSerializer();
        PacketBuffer out = new PacketBuffer(8);
        rows.encode(List.of("a", "b"), out);
        rows.encode(List.of("c"), out);
        assertThat(new String(out.toByteArray(), StandardCharsets.UTF_8)).isEqualTo("a,b||c||");

        List<List<String>> decoded = decodeAll(rows.newDecoder(1024), "a,b||c||");
        assertThat(decoded).containsExactly(List.of("a", "b"), List.of("c"));
    }

    @Test
    void deserializeErrorBecomesAParseErrorAtThePacketsOffsetAndTheNextPacketDecodes() throws Exception {
        StreamDecoder<List<String>> decoder = new RowSerializer().newDecoder(1024);
        ByteBuffer buffer = ByteBuffer.wrap("x||||y||".getBytes(StandardCharsets.UTF_8));
        List<List<String>> decoded = new ArrayList<>();
        assertThat(decoder.decode(buffer, decoded::add)).isTrue();
        assertThatThrownBy(() -> decoder.decode(buffer, decoded::add))
                .isInstanceOfSatisfying(StreamProtocolParseException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.INVALID_PACKET);
                    assertThat(e.streamOffset()).isEqualTo(3);
                })
                .hasMessage("empty row (packet at stream offset 3)");
        assertThat(decoder.decode(buffer, decoded::add)).isTrue();
        assertThat(decoded).containsExactly(List.of("x"), List.of("y"));
    }

    @Test
    void packetWhoseBytesContainTheSeparatorIsRefusedAndNothingIsWritten() {
        PacketBuffer out = new PacketBuffer(8);
        out.write('!');
        assertThatThrownBy(() -> new RowSerializer().encode(List.of("a||b"), out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("RowSerializer cannot send a packet whose bytes contain its separator \"||\" "
                        + "(the peer would read two packets): \"a||b\"");
        assertThat(out.toByteArray()).containsExactly('!');
    }

    @Test
    void emptySeparatorIsRefused() {
        assertThatThrownBy(() -> withSeparator(new byte[0])).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("separator must not be empty");
    }

    @Test
    void oneShotFormsHaveNoFraming() throws Exception {
        JsonSerializer<JsonNode> json = JsonSerializer.tree();
        byte[] document = json.serialize(json.deserialize("{\"a\": \"\u00e9\"}".getBytes(StandardCharsets.UTF_8), 0,
                "{\"a\": \"\u00e9\"}".getBytes(StandardCharsets.UTF_8).length));
        assertThat(new String(document, StandardCharsets.US_ASCII)).isEqualTo("{\"a\":\"\\u00e9\"}");

        LineSerializer lines = new LineSerializer();
        assertThat(lines.serialize("caf\u00e9")).containsExactly('c', 'a', 'f', 0xC3, 0xA9);
        byte[] framed = "xxcaf\u00e9yy".getBytes(StandardCharsets.UTF_8);
        assertThat(lines.deserialize(framed, 2, 5)).isEqualTo("caf\u00e9");
        assertThatThrownBy(() -> json.deserialize(new byte[] {' '}, 0, 1)).isInstanceOf(DeserializeException.class)
                .hasMessage("empty line where a JSON document was expected");
    }

    private static <T> List<T> decodeAll(StreamDecoder<T> decoder, String text) throws Exception {
        ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        List<T> decoded = new ArrayList<>();
        while (decoder.decode(buffer, decoded::add)) {
            // keep decoding
        }
        return decoded;
    }

    @Test
    void separatorLongerThan32BytesIsRefused() {
        assertThatThrownBy(() -> withSeparator(new byte[33])).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("separator of 33 bytes is longer than the 32 allowed");
    }

    /** A serializer that only exists to have its separator checked by the base class's constructor. */
    private static DelimitedSerializer<String> withSeparator(byte[] separator) {
        return new DelimitedSerializer<>(separator) {
            @Override
            public byte[] serialize(String packet) {
                return new byte[0];
            }

            @Override
            public String deserialize(byte[] data, int offset, int length) {
                return "";
            }
        };
    }
}
