package io.easynet.benchmarks.serializer;

import io.easynet.protocol.PacketBuffer;
import io.easynet.protocol.StreamDecoder;
import io.easynet.protocol.StreamProtocolParseException;
import io.easynet.protocol.StreamSerializer;
import io.easynet.serializer.Base64Serializer;
import io.easynet.serializer.CborSerializer;
import io.easynet.serializer.CompressedSerializer;
import io.easynet.serializer.JsonSerializer;
import io.easynet.serializer.LengthPrefixedSerializer;
import io.easynet.serializer.LineSerializer;
import io.easynet.serializer.SmileSerializer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import tools.jackson.databind.JsonNode;

/**
 * Encode and decode throughput of each serializer on the same 1 KiB and 10 KiB JSON samples (as JSON trees, as
 * text lines, as length-prefixed bytes), one packet per operation, the way a connection uses them: encoding into
 * one reused {@link PacketBuffer}, decoding in place from a buffer holding the packet's framed bytes. Run with
 * {@code -prof gc} to see the allocation per packet.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SerializerBenchmark {

    @Param({"1024", "10240"})
    int size;

    @Param({"json", "json-no-lines", "line", "length-prefixed", "length-prefixed-json", "zlib-json",
            "base64-zlib-json", "cbor", "smile"})
    String serializer;

    private Codec<?> codec;

    @Setup(Level.Trial)
    public void setUp() {
        var document = Samples.document(size);
        String text = document.toString();
        codec = switch (serializer) {
            case "json" -> new Codec<>(JsonSerializer.tree(), document);
            case "json-no-lines" -> new Codec<>(JsonSerializer.builder(JsonNode.class).useLines(false).build(),
                    document);
            case "line" -> new Codec<>(new LineSerializer(), text);
            case "length-prefixed" -> new Codec<>(LengthPrefixedSerializer.INSTANCE,
                    text.getBytes(StandardCharsets.UTF_8));
            case "length-prefixed-json" -> new Codec<>(LengthPrefixedSerializer.of(JsonSerializer.tree()), document);
            case "zlib-json" -> new Codec<>(CompressedSerializer.zlib(JsonSerializer.tree()), document);
            case "base64-zlib-json" -> new Codec<>(
                    new Base64Serializer<>(CompressedSerializer.zlib(JsonSerializer.tree())), document);
            case "cbor" -> new Codec<>(CborSerializer.tree(), document);
            case "smile" -> new Codec<>(SmileSerializer.tree(), document);
            default -> throw new IllegalArgumentException("unknown serializer " + serializer);
        };
    }

    /** Encodes one packet into the reused buffer. */
    @Benchmark
    public int encode() {
        return codec.encode();
    }

    /** Decodes one packet from its framed bytes. */
    @Benchmark
    public void decode(Blackhole blackhole) throws StreamProtocolParseException {
        codec.decode(blackhole);
    }

    /** One serializer with its sample packet, the packet's framed bytes and a decoder. */
    private static final class Codec<T> {

        private final StreamSerializer<T> serializer;

        private final T packet;

        private final PacketBuffer out = new PacketBuffer(64 * 1024);

        private final StreamDecoder<T> decoder;

        private final ByteBuffer framed;

        Codec(StreamSerializer<T> serializer, T packet) {
            this.serializer = serializer;
            this.packet = packet;
            this.decoder = serializer.newDecoder(1024 * 1024);
            serializer.encode(packet, out);
            this.framed = ByteBuffer.wrap(out.toByteArray());
        }

        int encode() {
            out.reset();
            serializer.encode(packet, out);
            return out.size();
        }

        void decode(Blackhole blackhole) throws StreamProtocolParseException {
            framed.rewind();
            if (!decoder.decode(framed, blackhole::consume)) {
                throw new IllegalStateException("the sample did not decode");
            }
        }
    }
}
