package io.easynet.demo.docs;

import io.easynet.client.UnixStreamClient;
import io.easynet.protocol.PacketConversionException;
import io.easynet.protocol.PacketConverter;
import io.easynet.protocol.StreamProtocol;
import io.easynet.protocol.StreamSerializer;
import io.easynet.serializer.Base64Serializer;
import io.easynet.serializer.CborSerializer;
import io.easynet.serializer.CompressedSerializer;
import io.easynet.serializer.JsonSerializer;
import io.easynet.serializer.LengthPrefixedSerializer;
import io.easynet.serializer.LineSerializer;
import io.easynet.serializer.Newline;
import io.easynet.serializer.StructField;
import io.easynet.serializer.StructSerializer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/** The samples of docs/serializers.md, each run over a real socket by {@link SerializerSamplesTest}. */
final class SerializerSamples {

    private SerializerSamples() {
    }

    /** A request of the records protocol. */
    record Query(String text) {
    }

    /** A response of the records protocol. */
    record Reply(String text) {
    }

    /** An order, the converters' request. */
    record Order(String item, int quantity) {
    }

    /** A receipt, the converters' response. */
    record Receipt(String item, boolean accepted) {
    }

    /** A struct: a name in 8 bytes, an unsigned 32-bit age, a flag byte. */
    // tag::struct-record[]
    record Person(@StructField("8s") String name, @StructField("I") long age, @StructField("B") int flag) {
    }
    // end::struct-record[]

    /** A CBOR packet. */
    record Reading(String sensor, double value) {
    }

    /** The protocols of the introduction: JSON trees, records, converted trees. */
    static List<StreamProtocol<?, ?>> protocols() {
        // tag::protocols[]
        JsonSerializer<JsonNode> json = JsonSerializer.tree();
        StreamProtocol<JsonNode, JsonNode> trees = StreamProtocol.of(JsonSerializer.tree());    // JSON trees both ways
        StreamProtocol<Reply, Query> records =                                    // records, one type each way
                StreamProtocol.of(JsonSerializer.of(Reply.class), JsonSerializer.of(Query.class));
        StreamProtocol<Receipt, Order> converted =                                // trees converted to your types
                StreamProtocol.of(json.converted(new ReceiptConverter()), json.converted(new OrderConverter()));
        // end::protocols[]
        return List.of(trees, records, converted);
    }

    /** The JSON serializers' variants, for {@code mapper}. */
    static List<JsonSerializer<?>> jsonVariants(JsonMapper mapper) throws NoSuchMethodException {
        // tag::json[]
        JsonSerializer<JsonNode> any = JsonSerializer.tree();                 // EasyNetwork's defaults
        JsonSerializer<Order> orders = JsonSerializer.of(mapper, Order.class);
        JsonSerializer<Order> custom = JsonSerializer.builder(Order.class)
                .mapper(mapper)          // e.g. Spring Boot's configured JsonMapper
                .ensureAscii(false)      // raw UTF-8
                .useLines(false)         // documents back to back
                .build();
        JsonSerializer<List<Order>> batches = JsonSerializer.<List<Order>>builder(
                SerializerSamples.class.getDeclaredMethod("batch").getGenericReturnType()).build();
        // end::json[]
        return List.of(any, orders, custom, batches);
    }

    /** The type {@code batches} binds, taken from this method's signature. */
    static List<Order> batch() {
        return List.of();
    }

    /** SMTP-style lines: CRLF, ASCII, the line end kept. */
    static LineSerializer smtpLike() {
        // tag::line[]
        var smtpLike = new LineSerializer(Newline.CRLF, StandardCharsets.US_ASCII, true);   // "HELO\r\n" arrives as is
        // end::line[]
        return smtpLike;
    }

    /** JSON framed by a length, and raw bytes with a 2-byte little-endian prefix. */
    static List<StreamSerializer<?>> lengthPrefixed() {
        // tag::length-prefixed[]
        StreamSerializer<JsonNode> json = LengthPrefixedSerializer.of(JsonSerializer.tree());
        StreamSerializer<byte[]> small = LengthPrefixedSerializer.INSTANCE.withPrefix(2, ByteOrder.LITTLE_ENDIAN);
        // end::length-prefixed[]
        return List.of(json, small);
    }

    /** {@link Person} as a struct. */
    static StructSerializer<Person> people() {
        // tag::struct[]
        StructSerializer<Person> people = StructSerializer.of(Person.class);   // format "!8sIB", 13 bytes
        // Python peer: NamedTupleStructSerializer(Person, {"name": "8s", "age": "I", "flag": "B"})
        // new Person("John", 20, 1)  <->  4a6f686e 00000000 00000014 01
        // end::struct[]
        return people;
    }

    /** EasyNetwork's base64 of zlib of JSON. */
    static StreamProtocol<JsonNode, JsonNode> base64Zlib() {
        // tag::wrappers[]
        // EasyNetwork: Base64EncoderSerializer(ZlibCompressorSerializer(JSONSerializer()))
        var protocol = StreamProtocol.of(new Base64Serializer<>(CompressedSerializer.zlib(JsonSerializer.tree())));
        // end::wrappers[]
        return protocol;
    }

    /** Orders signed with a fresh key. */
    static Base64Serializer<Order> signed() {
        // tag::signed[]
        String key = Base64Serializer.generateKey();   // keep it secret, give it to the peer
        var signed = Base64Serializer.builder(JsonSerializer.of(Order.class)).signedChecksum(key).build();
        // end::signed[]
        return signed;
    }

    /** Sends a reading over CBOR and returns the reply. */
    // tag::cbor[]
    static Reading send(Path path, Reading reading) throws Exception {
        try (var client = UnixStreamClient.connect(path, StreamProtocol.of(CborSerializer.of(Reading.class)))) {
            client.send(reading);
            return client.receive();
        }
    }
    // end::cbor[]

    /** The converters' protocol, as the server sees it. */
    static StreamProtocol<Receipt, Order> orders() {
        // tag::converted-protocol[]
        JsonSerializer<JsonNode> json = JsonSerializer.tree();
        StreamProtocol<Receipt, Order> protocol =
                StreamProtocol.of(json.converted(new ReceiptConverter()), json.converted(new OrderConverter()));
        // end::converted-protocol[]
        return protocol;
    }

    // tag::converter[]
    static final class OrderConverter implements PacketConverter<Order, JsonNode> {

        @Override
        public JsonNode toWire(Order order) {
            return JsonNodeFactory.instance.objectNode().put("item", order.item()).put("quantity", order.quantity());
        }

        @Override
        public Order fromWire(JsonNode json) throws PacketConversionException {
            if (!json.has("item")) {
                throw new PacketConversionException("an order needs an item, got " + json);
            }
            return new Order(json.get("item").asString(), json.path("quantity").asInt(1));
        }
    }
    // end::converter[]

    /** The receipt's wire form: {@code {"item":..., "accepted":...}}. */
    static final class ReceiptConverter implements PacketConverter<Receipt, JsonNode> {

        @Override
        public JsonNode toWire(Receipt receipt) {
            return JsonNodeFactory.instance.objectNode().put("item", receipt.item())
                    .put("accepted", receipt.accepted());
        }

        @Override
        public Receipt fromWire(JsonNode json) throws PacketConversionException {
            if (!json.has("item") || !json.has("accepted")) {
                throw new PacketConversionException("a receipt needs an item and accepted, got " + json);
            }
            return new Receipt(json.get("item").asString(), json.get("accepted").asBoolean());
        }
    }
}
