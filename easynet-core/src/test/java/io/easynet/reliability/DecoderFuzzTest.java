package io.easynet.reliability;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.easynet.protocol.PacketBuffer;
import io.easynet.protocol.StreamDecoder;
import io.easynet.protocol.StreamProtocolParseException;
import io.easynet.protocol.StreamSerializer;
import io.easynet.serializer.JsonSerializer;
import io.easynet.serializer.LengthPrefixedSerializer;
import io.easynet.serializer.LineSerializer;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A coverage-less fuzz run of the stream decoders, time-boxed per serializer: random and mutated valid streams,
 * cut into random chunks, fed to {@code newDecoder(limit).decode} as a connection would. The only allowed outcomes
 * are packets and {@link StreamProtocolParseException}; anything else, or a call that does not return within its
 * deadline, fails with the seed and a hex preview of the input.
 */
@Timeout(60)
class DecoderFuzzTest {

    private static final long BUDGET_NANOS = TimeUnit.SECONDS.toNanos(5);

    private static final long CALL_DEADLINE_SECONDS = 5;

    /** Small, so that "too large" and "just fits" are both hit often. */
    private static final int LIMIT = 64;

    private static final byte[] STRUCTURE = "[]{}\":,\\\n\r\t 0123456789.-+eEtruefalsnl\u0000a".getBytes(UTF_8);

    private static ExecutorService worker;

    @BeforeAll
    static void startWorker() {
        worker = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("fuzz-decoder").factory());
    }

    @AfterAll
    static void stopWorkerAndPrintSummary() {
        worker.shutdownNow();
        BadInputTally.classFinished();
    }

    @Test
    void jsonLinesDecoderOnlyYieldsPacketsOrParseErrors() throws Exception {
        JsonMapper mapper = JsonMapper.shared();
        List<JsonNode> valid = List.of(mapper.readTree("{\"a\":[1,2.5,null,true],\"b\":\"\\u00e9\"}"),
                mapper.readTree("[[[\"x\"]]]"), mapper.readTree("12345678901234567890"), mapper.readTree("\"s\""));
        fuzz(JsonSerializer.tree(), valid, 11L);
    }

    @Test
    void lineDecoderOnlyYieldsPacketsOrParseErrors() throws Exception {
        fuzz(new LineSerializer(), List.of("hello", "", "caf\u00e9 \uD83D\uDE00", "x".repeat(LIMIT)), 12L);
    }

    @Test
    void lengthPrefixedDecoderOnlyYieldsPacketsOrParseErrors() throws Exception {
        fuzz(LengthPrefixedSerializer.INSTANCE, List.of(new byte[0], new byte[] {1, 2, 3}, new byte[LIMIT]), 13L);
    }

    private static <T> void fuzz(StreamSerializer<T> serializer, List<T> valid, long seed) throws Exception {
        var random = new Random(seed);
        byte[][] encoded = valid.stream().map(packet -> {
            var out = new PacketBuffer(64);
            serializer.encode(packet, out);
            return out.toByteArray();
        }).toArray(byte[][]::new);
        long tried = 0;
        long end = System.nanoTime() + BUDGET_NANOS;
        while (System.nanoTime() < end) {
            long inputSeed = random.nextLong();
            var inputRandom = new Random(inputSeed);
            byte[] input = inputRandom.nextBoolean() ? randomBytes(inputRandom) : mutatedValid(inputRandom, encoded);
            Future<?> run = worker.submit(() -> {
                feed(serializer.newDecoder(LIMIT), input, inputRandom);
                return null;
            });
            try {
                run.get(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                run.cancel(true);
                fail("decoder hung (seed " + seed + ", input seed " + inputSeed + ") on " + hex(input));
            } catch (ExecutionException e) {
                throw new AssertionError("decoder threw " + e.getCause() + " (seed " + seed + ", input seed "
                        + inputSeed + ") on " + hex(input), e.getCause());
            }
            tried++;
        }
        BadInputTally.FUZZ_INPUTS.addAndGet(tried);
        assertThat(tried).as("inputs tried in the time budget").isPositive();
    }

    /** Feeds {@code input} in random chunks, decoding after each until the decoder needs more bytes. */
    private static <T> void feed(StreamDecoder<T> decoder, byte[] input, Random random) {
        try (decoder) {
            ByteBuffer buffer = ByteBuffer.allocate(0);
            int sent = 0;
            // a decoder that neither hands a packet nor consumes would loop forever; no packet is shorter than a byte
            // except a zero-length frame, which still consumes its prefix, so packets + errors <= bytes + chunks
            long budget = input.length + 1L;
            while (sent < input.length) {
                int chunk = 1 + random.nextInt(Math.min(input.length - sent, 1 + random.nextInt(300)));
                ByteBuffer grown = ByteBuffer.allocate(buffer.remaining() + chunk);
                grown.put(buffer).put(input, sent, chunk).flip();
                buffer = grown;
                sent += chunk;
                budget++;
                while (true) {
                    if (--budget < 0) {
                        throw new IllegalStateException("decoder made no progress at byte " + sent);
                    }
                    try {
                        if (!decoder.decode(buffer, packet -> { })) {
                            break;
                        }
                    } catch (StreamProtocolParseException expected) {
                        // an allowed outcome; the decoder has consumed the bad packet's buffered bytes
                    }
                }
            }
        }
    }

    private static byte[] randomBytes(Random random) {
        byte[] bytes = new byte[random.nextInt(257)];
        boolean structured = random.nextBoolean();
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = structured ? STRUCTURE[random.nextInt(STRUCTURE.length)] : (byte) random.nextInt(256);
        }
        return bytes;
    }

    private static byte[] mutatedValid(Random random, byte[][] encoded) {
        var out = new PacketBuffer(256);
        for (int n = 1 + random.nextInt(5); n > 0; n--) {
            byte[] packet = encoded[random.nextInt(encoded.length)];
            out.write(packet, 0, packet.length);
        }
        byte[] bytes = out.toByteArray();
        for (int n = 1 + random.nextInt(4); n > 0 && bytes.length > 0; n--) {
            int at = random.nextInt(bytes.length);
            bytes = switch (random.nextInt(5)) {
                case 0 -> flip(bytes, at, random);
                case 1 -> insert(bytes, at, STRUCTURE[random.nextInt(STRUCTURE.length)]);
                case 2 -> delete(bytes, at);
                case 3 -> duplicate(bytes, at, random);
                default -> Arrays.copyOf(bytes, at);
            };
        }
        return bytes;
    }

    private static byte[] flip(byte[] bytes, int at, Random random) {
        bytes[at] ^= (byte) (1 << random.nextInt(8));
        return bytes;
    }

    private static byte[] insert(byte[] bytes, int at, byte value) {
        byte[] result = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, result, 0, at);
        result[at] = value;
        System.arraycopy(bytes, at, result, at + 1, bytes.length - at);
        return result;
    }

    private static byte[] delete(byte[] bytes, int at) {
        byte[] result = new byte[bytes.length - 1];
        System.arraycopy(bytes, 0, result, 0, at);
        System.arraycopy(bytes, at + 1, result, at, bytes.length - at - 1);
        return result;
    }

    private static byte[] duplicate(byte[] bytes, int at, Random random) {
        int length = 1 + random.nextInt(bytes.length - at);
        byte[] result = new byte[bytes.length + length];
        System.arraycopy(bytes, 0, result, 0, at + length);
        System.arraycopy(bytes, at, result, at + length, bytes.length - at);
        return result;
    }

    private static String hex(byte[] input) {
        int shown = Math.min(input.length, 128);
        return input.length + " bytes: " + HexFormat.of().formatHex(input, 0, shown) + (shown < input.length ? "…" : "");
    }
}
