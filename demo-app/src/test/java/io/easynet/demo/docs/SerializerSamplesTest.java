package io.easynet.demo.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.easynet.client.UnixStreamClient;
import io.easynet.demo.docs.SerializerSamples.Order;
import io.easynet.demo.docs.SerializerSamples.OrderConverter;
import io.easynet.demo.docs.SerializerSamples.Person;
import io.easynet.demo.docs.SerializerSamples.Query;
import io.easynet.demo.docs.SerializerSamples.Reading;
import io.easynet.demo.docs.SerializerSamples.Receipt;
import io.easynet.demo.docs.SerializerSamples.Reply;
import io.easynet.protocol.PacketConversionException;
import io.easynet.protocol.StreamProtocol;
import io.easynet.protocol.StreamSerializer;
import io.easynet.serializer.CborSerializer;
import io.easynet.serializer.JsonSerializer;
import io.easynet.server.AsyncUnixStreamServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/** Runs every sample of docs/serializers.md ({@link SerializerSamples}) through a server and a client. */
@Timeout(30)
class SerializerSamplesTest {

    private static final JsonNode TREE = JsonNodeFactory.instance.objectNode().put("a", 1).put("é", "ü");

    private final AtomicInteger sockets = new AtomicInteger();

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void theIntroductionsProtocolsCarryTreesRecordsAndConvertedTrees() throws Exception {
        List<StreamProtocol<?, ?>> protocols = SerializerSamples.protocols();

        assertThat(exchange((StreamProtocol<JsonNode, JsonNode>) protocols.get(0), request -> request, TREE))
                .isEqualTo(TREE);
        assertThat(exchange((StreamProtocol<Reply, Query>) protocols.get(1),
                query -> new Reply(query.text().toUpperCase()), new Query("hi"))).isEqualTo(new Reply("HI"));
        assertThat(exchange((StreamProtocol<Receipt, Order>) protocols.get(2),
                order -> new Receipt(order.item(), order.quantity() > 0), new Order("tea", 2)))
                .isEqualTo(new Receipt("tea", true));
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyJsonVariantRoundTripsItsType() throws Exception {
        List<JsonSerializer<?>> json = SerializerSamples.jsonVariants(JsonMapper.builder().build());
        var order = new Order("café", 3);

        assertThat(echo((JsonSerializer<JsonNode>) json.get(0), TREE)).isEqualTo(TREE);
        assertThat(echo((JsonSerializer<Order>) json.get(1), order)).isEqualTo(order);
        assertThat(echo((JsonSerializer<Order>) json.get(2), order)).isEqualTo(order);
        assertThat(new String(((JsonSerializer<Order>) json.get(2)).serialize(order))).contains("café");
        assertThat(echo((JsonSerializer<List<Order>>) json.get(3), List.of(order, new Order("tea", 1))))
                .containsExactly(order, new Order("tea", 1));
    }

    @Test
    void theSmtpLikeLineKeepsItsLineEnd() throws Exception {
        assertThat(echo(SerializerSamples.smtpLike(), "HELO\r\n")).isEqualTo("HELO\r\n");
    }

    @Test
    @SuppressWarnings("unchecked")
    void lengthPrefixedFramesCarryJsonAndBytes() throws Exception {
        List<StreamSerializer<?>> serializers = SerializerSamples.lengthPrefixed();

        assertThat(echo((StreamSerializer<JsonNode>) serializers.get(0), TREE)).isEqualTo(TREE);
        assertThat(echo((StreamSerializer<byte[]>) serializers.get(1), new byte[] {0, 1, 2}))
                .isEqualTo(new byte[] {0, 1, 2});
    }

    @Test
    void thePersonStructHasTheBytesTheCommentShowsAndRoundTrips() throws Exception {
        var john = new Person("John", 20, 1);

        assertThat(HexFormat.of().formatHex(SerializerSamples.people().serialize(john)))
                .isEqualTo("4a6f686e" + "00000000" + "00000014" + "01");
        assertThat(echo(SerializerSamples.people(), john)).isEqualTo(john);
    }

    @Test
    void wrappersStackAndASignedSerializerRoundTripsWithItsKey() throws Exception {
        assertThat(exchange(SerializerSamples.base64Zlib(), request -> request, TREE)).isEqualTo(TREE);
        assertThat(echo(SerializerSamples.signed(), new Order("tea", 1))).isEqualTo(new Order("tea", 1));
    }

    @Test
    void theCborClientGetsItsReply() throws Exception {
        Path path = dir.resolve("cbor.sock");
        try (var server = new AsyncUnixStreamServer<>(path, StreamProtocol.of(CborSerializer.of(Reading.class)),
                (client, requests) -> {
                    Reading reading = requests.receive();
                    client.send(new Reading(reading.sensor(), reading.value() + 1));
                })) {
            server.start();

            assertThat(SerializerSamples.send(path, new Reading("t1", 21.5))).isEqualTo(new Reading("t1", 22.5));
        }
    }

    @Test
    void theOrderConverterBindsOrdersAndRefusesOneWithoutAnItem() throws Exception {
        assertThat(exchange(SerializerSamples.orders(), order -> new Receipt(order.item(), true), new Order("tea", 2)))
                .isEqualTo(new Receipt("tea", true));
        assertThatThrownBy(() -> new OrderConverter().fromWire(JsonNodeFactory.instance.objectNode().put("quantity", 2)))
                .isInstanceOf(PacketConversionException.class)
                .hasMessage("an order needs an item, got {\"quantity\":2}");
    }

    private <T> T echo(StreamSerializer<T> serializer, T packet) throws Exception {
        return exchange(StreamProtocol.of(serializer), request -> request, packet);
    }

    /** Serves {@code handler} with {@code protocol} and returns its answer to {@code request}, sent by a client. */
    private <Resp, Req> Resp exchange(StreamProtocol<Resp, Req> protocol, Function<Req, Resp> handler, Req request)
            throws Exception {
        Path path = dir.resolve(sockets.incrementAndGet() + ".sock");
        try (var server = new AsyncUnixStreamServer<>(path, protocol,
                (client, requests) -> client.send(handler.apply(requests.receive())))) {
            server.start();
            try (UnixStreamClient<Req, Resp> client = UnixStreamClient.connect(path, protocol.reversed())) {
                client.send(request);
                return client.receive(Duration.ofSeconds(5));
            }
        }
    }
}
