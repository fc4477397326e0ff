package io.easynet.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.easynet.client.UnixStreamClient;
import io.easynet.serializer.JsonSerializer;
import io.easynet.serializer.LineSerializer;
import io.easynet.serializer.RawSerializer;
import io.easynet.server.AsyncUnixStreamServer;
import io.easynet.server.StreamRequestHandler;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** Converters between wire packets and application objects, as EasyNetwork's packet converters. */
@Timeout(20)
class ConvertedSerializerTest {

    record Order(String item, int quantity) {
    }

    record Receipt(String text) {
    }

    /** JSON {"item": ..., "quantity": n} with n positive, to an Order. */
    static class OrderConverter implements PacketConverter<Order, JsonNode> {

        @Override
        public JsonNode toWire(Order order) {
            return JsonNodeFactory.instance.objectNode().put("item", order.item()).put("quantity", order.quantity());
        }

        @Override
        public Order fromWire(JsonNode json) throws PacketConversionException {
            if (!json.path("item").isString() || !json.path("quantity").canConvertToInt()
                    || json.path("quantity").asInt() <= 0) {
                throw new PacketConversionException("an order needs an item and a positive quantity, got " + json);
            }
            return new Order(json.get("item").asString(), json.get("quantity").asInt());
        }
    }

    static final class ReceiptConverter implements PacketConverter<Receipt, JsonNode> {

        @Override
        public JsonNode toWire(Receipt receipt) {
            return JsonNodeFactory.instance.objectNode().put("receipt", receipt.text());
        }

        @Override
        public Receipt fromWire(JsonNode json) {
            return new Receipt(json.path("receipt").asString());
        }
    }

    @TempDir
    Path dir;

    @Test
    void theDecoderTakesADirectBufferWhenTheWireDecoderDoes() {
        PacketConverter<String, byte[]> ascii = new PacketConverter<>() {
            @Override
            public byte[] toWire(String text) {
                return text.getBytes(StandardCharsets.US_ASCII);
            }

            @Override
            public String fromWire(byte[] bytes) {
                return new String(bytes, StandardCharsets.US_ASCII);
            }
        };

        assertThat(RawSerializer.INSTANCE.converted(ascii).newDecoder(16).acceptsDirectBuffers()).isTrue();
        assertThat(JsonSerializer.tree().converted(new OrderConverter()).newDecoder(16).acceptsDirectBuffers())
                .isFalse();
    }

    @Test
    void handlerWorksWithConvertedObjectsAndARefusedPacketSurfacesAtTheReceivePoint() throws Exception {
        JsonSerializer<JsonNode> json = JsonSerializer.tree();
        StreamProtocol<Receipt, Order> protocol = StreamProtocol.of(json.converted(new ReceiptConverter()),
                json.converted(new OrderConverter()));
        StreamRequestHandler<Order, Receipt> handler = (client, requests) -> {
            try {
                Order order = requests.receive();
                client.send(new Receipt(order.quantity() + " x " + order.item()));
            } catch (StreamProtocolParseException e) {
                client.send(new Receipt(e.reason() + " at " + e.streamOffset() + ": " + e.getMessage()));
            }
        };
        try (var server = new AsyncUnixStreamServer<>(dir.resolve("orders.sock"), protocol, handler)) {
            server.start();
            try (var client = UnixStreamClient.connect(server.path(), StreamProtocol.of(new LineSerializer()))) {
                client.send("{\"item\":\"tea\",\"quantity\":2}");
                client.send("{\"item\":\"tea\",\"quantity\":0}");
                client.send("{\"item\":\"cake\",\"quantity\":1}");
                assertThat(client.receive()).isEqualTo("{\"receipt\":\"2 x tea\"}");
                assertThat(client.receive()).isEqualTo("{\"receipt\":\"CONVERSION_FAILED at 28: an order needs an "
                        + "item and a positive quantity, got {\\\"item\\\":\\\"tea\\\",\\\"quantity\\\":0} (packet at "
                        + "stream offset 28)\"}");
                assertThat(client.receive()).isEqualTo("{\"receipt\":\"1 x cake\"}");
            }
        }
    }

    @Test
    void conversionErrorConsumesThePacketAndParseErrorsStillComeFromTheSerializer() throws Exception {
        StreamDecoder<Order> decoder = JsonSerializer.tree().converted(new OrderConverter()).newDecoder(1024);
        ByteBuffer buffer = ByteBuffer.wrap("{\"item\":1}\n{bad\n{\"item\":\"x\",\"quantity\":3}\n"
                .getBytes(StandardCharsets.UTF_8));
        List<Order> orders = new ArrayList<>();
        assertThatThrownBy(() -> decoder.decode(buffer, orders::add))
                .isInstanceOfSatisfying(StreamProtocolParseException.class,
                        e -> assertThat(e.reason()).isEqualTo(StreamProtocolParseException.Reason.CONVERSION_FAILED))
                .hasCauseInstanceOf(PacketConversionException.class);
        assertThatThrownBy(() -> decoder.decode(buffer, orders::add))
                .isInstanceOfSatisfying(StreamProtocolParseException.class, e -> {
                    assertThat(e.reason()).isEqualTo(StreamProtocolParseException.Reason.INVALID_PACKET);
                    assertThat(e.streamOffset()).isEqualTo(11);
                });
        assertThat(decoder.decode(buffer, orders::add)).isTrue();
        assertThat(orders).containsExactly(new Order("x", 3));
    }

    @Test
    void objectTheConverterRefusesToSendWritesNothing() {
        PacketConverter<Order, JsonNode> strict = new OrderConverter() {
            @Override
            public JsonNode toWire(Order order) {
                throw new IllegalArgumentException("orders of " + order.item() + " are not sent");
            }
        };
        PacketBuffer out = new PacketBuffer(16);
        assertThatThrownBy(() -> JsonSerializer.tree().converted(strict).encode(new Order("tea", 1), out))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("orders of tea are not sent");
        assertThat(out.size()).isZero();
    }
}
