package io.easynet.reliability;

import static io.easynet.reliability.BadInputServer.LIMIT;
import static io.easynet.reliability.BadInputServer.readExactly;
import static io.easynet.reliability.BadInputServer.writeAll;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.easynet.protocol.StreamProtocol;
import io.easynet.protocol.StreamProtocolParseException;
import io.easynet.protocol.StreamProtocolParseException.Reason;
import io.easynet.serializer.JsonSerializer;
import io.easynet.serializer.LengthPrefixedSerializer;
import io.easynet.serializer.LineSerializer;
import io.easynet.server.ClientDisconnectedException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bad input through real sockets: each case pins the documented outcome at the handler's receive point (error
 * type, reason, stream offset, message start), what the framing does next (resync or wait for the client's end),
 * and that a second client connected all along still gets its answer.
 */
@Timeout(30)
class BadInputOverSocketsTest {

    private static final long SEED = 20261125L;

    private static final byte[] JSON_OK = "{\"ok\":1}\n".getBytes(UTF_8);

    private static final byte[] LINE_OK = "ping\n".getBytes(UTF_8);

    @TempDir
    Path dir;

    @AfterAll
    static void printSummary() {
        BadInputTally.classFinished();
    }

    private BadInputServer<JsonNode> jsonServer() throws Exception {
        JsonNode sample = JsonMapper.shared().readTree("{\"hello\":[1,2.5,\"x\"]}");
        return new BadInputServer<>(dir, StreamProtocol.of(JsonSerializer.tree()), sample,
                (got, want) -> assertThat(got).isEqualTo(want));
    }

    private BadInputServer<String> lineServer() throws Exception {
        return new BadInputServer<>(dir, StreamProtocol.of(new LineSerializer()), "hello",
                (got, want) -> assertThat(got).isEqualTo(want));
    }

    private BadInputServer<byte[]> framedServer() throws Exception {
        return new BadInputServer<>(dir, StreamProtocol.of(LengthPrefixedSerializer.INSTANCE), new byte[] {1, 2, 3},
                (got, want) -> assertThat(got).containsExactly(want));
    }

    /** Sends {@code bad} then {@code valid}, and checks the valid packet comes back: the framing resynced. */
    private static <T> void sendAndResync(BadInputServer<T> server, SocketChannel raw, byte[] bad, byte[] valid,
            byte[] echoOfValid) throws IOException {
        BadInputTally.BAD_INPUTS.incrementAndGet();
        writeAll(raw, bad);
        writeAll(raw, valid);
        assertThat(readExactly(raw, echoOfValid.length)).containsExactly(echoOfValid);
    }

    private static void assertParseError(Throwable error, Reason reason, long offset, String messageStart) {
        assertThat(error).isExactlyInstanceOf(StreamProtocolParseException.class);
        var parse = (StreamProtocolParseException) error;
        assertThat(parse.reason()).isEqualTo(reason);
        assertThat(parse.streamOffset()).isEqualTo(offset);
        assertThat(parse.getMessage()).startsWith(messageStart)
                .endsWith("(packet at stream offset " + offset + ")");
    }

    private static byte[] randomBytesWithout(Random random, int length, byte excluded) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == excluded) {
                bytes[i] = (byte) (excluded + 1);
            }
        }
        return bytes;
    }

    private static byte[] concat(byte[]... parts) {
        var out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] repeat(char c, int count) {
        byte[] bytes = new byte[count];
        Arrays.fill(bytes, (byte) c);
        return bytes;
    }

    private static byte[] prefix(long length) {
        return ByteBuffer.allocate(4).putInt((int) length).array();
    }

    /** Streams {@code total} bytes of {@code c} in 64 KiB writes, as a client that never stops would. */
    private static void streamChunks(SocketChannel raw, char c, long total) throws IOException {
        byte[] chunk = repeat(c, 64 * 1024);
        for (long sent = 0; sent < total; sent += chunk.length) {
            writeAll(raw, Arrays.copyOf(chunk, (int) Math.min(chunk.length, total - sent)));
        }
    }

    // ---- JSON lines

    @Test
    void jsonRandomBytesAreOneInvalidPacketAndTheNextLineIsServed() throws Exception {
        var random = new Random(SEED);
        byte[] garbage = randomBytesWithout(random, 4096, (byte) '\n');
        try (var server = jsonServer(); var raw = server.rawClient()) {
            sendAndResync(server, raw, concat(garbage, new byte[] {'\n'}), JSON_OK, JSON_OK);
            assertThat(server.drainErrors()).as("seed " + SEED).singleElement()
                    .satisfies(e -> assertParseError(e, Reason.INVALID_PACKET, 0, "invalid UTF-8 at byte "));
            server.assertServing();
        }
    }

    @Test
    void jsonInvalidUtf8InAStringIsAnInvalidPacketAndTheNextLineIsServed() throws Exception {
        byte[] bad = concat("{\"a\":\"".getBytes(UTF_8), new byte[] {(byte) 0xC3, 0x28}, "\"}\n".getBytes(UTF_8));
        try (var server = jsonServer(); var raw = server.rawClient()) {
            sendAndResync(server, raw, bad, JSON_OK, JSON_OK);
            assertThat(server.drainErrors()).singleElement()
                    .satisfies(e -> assertParseError(e, Reason.INVALID_PACKET, 0, "invalid UTF-8 at byte 6 of "));
            server.assertServing();
        }
    }

    @Test
    void jsonNestedAHundredThousandDeepIsRefusedWithoutStackOverflow() throws Exception {
        byte[] bad = concat(repeat('[', 100_000), new byte[] {'\n'});
        try (var server = jsonServer(); var raw = server.rawClient()) {
            sendAndResync(server, raw, bad, JSON_OK, JSON_OK);
            assertThat(server.drainErrors()).singleElement().satisfies(e -> {
                assertParseError(e, Reason.INVALID_PACKET, 0,
                        "invalid JSON: Document nesting depth (501) exceeds the maximum allowed (500, ");
                assertThat(e.getCause()).isNotInstanceOf(StackOverflowError.class);
            });
            server.assertServing();
        }
    }

    @Test
    void jsonNumberOfTenThousandDigitsIsRefusedAndTheNextLineIsServed() throws Exception {
        byte[] bad = concat(repeat('7', 10_000), new byte[] {'\n'});
        try (var server = jsonServer(); var raw = server.rawClient()) {
            sendAndResync(server, raw, bad, JSON_OK, JSON_OK);
            assertThat(server.drainErrors()).singleElement().satisfies(e -> {
                assertParseError(e, Reason.INVALID_PACKET, 0,
                        "invalid JSON: Number value length (10000) exceeds the maximum allowed (1000, ");
            });
            server.assertServing();
        }
    }

    @Test
    void jsonStringFillingTheLimitExactlyIsServed() throws Exception {
        byte[] atLimit = concat(new byte[] {'"'}, repeat('a', LIMIT - 2), new byte[] {'"', '\n'});
        try (var server = jsonServer(); var raw = server.rawClient()) {
            sendAndResync(server, raw, atLimit, JSON_OK, concat(atLimit, JSON_OK));
            assertThat(server.drainErrors()).isEmpty();
            server.assertServing();
        }
    }

    @Test
    void jsonStringOneByteOverTheLimitIsTooLargeAndTheNextLineIsServed() throws Exception {
        byte[] over = concat(new byte[] {'"'}, repeat('a', LIMIT - 1), new byte[] {'"', '\n'});
        try (var server = jsonServer(); var raw = server.rawClient()) {
            sendAndResync(server, raw, over, JSON_OK, JSON_OK);
            assertThat(server.drainErrors()).singleElement().satisfies(e -> assertParseError(e,
                    Reason.PACKET_TOO_LARGE, 0, "packet of at least " + (LIMIT + 1) + " bytes is larger than the "
                            + LIMIT + "-byte limit; skipped up to the next separator"));
            server.assertServing();
        }
    }

    @Test
    void jsonLineFarOverTheLimitStreamedInChunksIsOneTooLargeAndTheNextLineIsServed() throws Exception {
        try (var server = jsonServer(); var raw = server.rawClient()) {
            BadInputTally.BAD_INPUTS.incrementAndGet();
            writeAll(raw, "[\"".getBytes(UTF_8));
            streamChunks(raw, 'a', 8L * 1024 * 1024);
            writeAll(raw, "\"]\n".getBytes(UTF_8));
            writeAll(raw, JSON_OK);
            assertThat(readExactly(raw, JSON_OK.length)).containsExactly(JSON_OK);
            assertThat(server.drainErrors()).singleElement().satisfies(e -> assertParseError(e,
                    Reason.PACKET_TOO_LARGE, 0, "packet of at least "));
            server.assertServing();
        }
    }

    @Test
    void jsonNulBytesAreAnInvalidPacketAndTheNextLineIsServed() throws Exception {
        byte[] nuls = concat(new byte[10_000], new byte[] {'\n'});
        try (var server = jsonServer(); var raw = server.rawClient()) {
            sendAndResync(server, raw, nuls, JSON_OK, JSON_OK);
            assertThat(server.drainErrors()).singleElement()
                    .satisfies(e -> assertParseError(e, Reason.INVALID_PACKET, 0, "invalid JSON at "));
            server.assertServing();
        }
    }

    @Test
    void jsonLineEndingInCrLfIsServedLikeLf() throws Exception {
        try (var server = jsonServer(); var raw = server.rawClient()) {
            sendAndResync(server, raw, "{\"a\":1}\r\n".getBytes(UTF_8), "{\"a\":2}\n".getBytes(UTF_8),
                    "{\"a\":1}\n{\"a\":2}\n".getBytes(UTF_8));
            assertThat(server.drainErrors()).isEmpty();
            server.assertServing();
        }
    }

    @Test
    void jsonTruncatedLineThenDisconnectIsAClientDisconnectCountingTheLostBytes() throws Exception {
        try (var server = jsonServer()) {
            assertTruncatedThenDisconnectLoses(server, "{\"a\":[1,2".getBytes(UTF_8), 9);
        }
    }

    /** A client that leaves while the server skips an oversize body has nothing buffered left to lose. */
    private static void assertDisconnectInsideSkippedFrame(Throwable error) {
        assertThat(error).isExactlyInstanceOf(ClientDisconnectedException.class);
        assertThat(error.getMessage()).endsWith(" ended the stream");
    }

    /** Sends the start of a packet and leaves: the disconnect says how many buffered bytes were lost. */
    private static void assertTruncatedThenDisconnectLoses(BadInputServer<?> server, byte[] start, int lost)
            throws Exception {
        try (var raw = server.rawClient()) {
            BadInputTally.BAD_INPUTS.incrementAndGet();
            writeAll(raw, start);
        }
        Throwable error = server.nextError();
        assertThat(error).isExactlyInstanceOf(ClientDisconnectedException.class);
        assertThat(error.getMessage()).endsWith(" ended the stream inside a packet; " + lost + " bytes of it are lost");
        assertThat(server.drainErrors()).isEmpty();
        server.assertServing();
    }

    // ---- text lines

    @Test
    void lineRandomBytesAreOneInvalidPacketAndTheNextLineIsServed() throws Exception {
        var random = new Random(SEED + 1);
        byte[] garbage = randomBytesWithout(random, 4096, (byte) '\n');
        try (var server = lineServer(); var raw = server.rawClient()) {
            sendAndResync(server, raw, concat(garbage, new byte[] {'\n'}), LINE_OK, LINE_OK);
            assertThat(server.drainErrors()).as("seed " + (SEED + 1)).singleElement()
                    .satisfies(e -> assertParseError(e, Reason.INVALID_PACKET, 0, "line is not valid UTF-8: "));
            server.assertServing();
        }
    }

    @Test
    void lineInvalidUtf8IsAnInvalidPacketAndTheNextLineIsServed() throws Exception {
        byte[] bad = concat("caf".getBytes(UTF_8), new byte[] {(byte) 0xC3, '\n'});
        try (var server = lineServer(); var raw = server.rawClient()) {
            sendAndResync(server, raw, bad, LINE_OK, LINE_OK);
            assertThat(server.drainErrors()).singleElement()
                    .satisfies(e -> assertParseError(e, Reason.INVALID_PACKET, 0, "line is not valid UTF-8: "));
            server.assertServing();
        }
    }

    @Test
    void lineOneByteOverTheLimitIsTooLargeAndTheNextLineIsServed() throws Exception {
        try (var server = lineServer(); var raw = server.rawClient()) {
            byte[] atLimit = concat(repeat('a', LIMIT), new byte[] {'\n'});
            sendAndResync(server, raw, concat(repeat('b', LIMIT + 1), new byte[] {'\n'}), atLimit, atLimit);
            assertThat(server.drainErrors()).singleElement().satisfies(e -> assertParseError(e,
                    Reason.PACKET_TOO_LARGE, 0, "packet of at least " + (LIMIT + 1) + " bytes is larger than the "
                            + LIMIT + "-byte limit; skipped up to the next separator"));
            server.assertServing();
        }
    }

    @Test
    void lineFarOverTheLimitStreamedInChunksIsOneTooLargeAndTheNextLineIsServed() throws Exception {
        try (var server = lineServer(); var raw = server.rawClient()) {
            BadInputTally.BAD_INPUTS.incrementAndGet();
            streamChunks(raw, 'z', 8L * 1024 * 1024);
            writeAll(raw, concat(new byte[] {'\n'}, LINE_OK));
            assertThat(readExactly(raw, LINE_OK.length)).containsExactly(LINE_OK);
            assertThat(server.drainErrors()).singleElement().satisfies(e -> assertParseError(e,
                    Reason.PACKET_TOO_LARGE, 0, "packet of at least "));
            server.assertServing();
        }
    }

    @Test
    void lineOfNulBytesIsAValidLineAndIsEchoed() throws Exception {
        byte[] nuls = concat(new byte[10_000], new byte[] {'\n'});
        try (var server = lineServer(); var raw = server.rawClient()) {
            sendAndResync(server, raw, nuls, LINE_OK, concat(nuls, LINE_OK));
            assertThat(server.drainErrors()).isEmpty();
            server.assertServing();
        }
    }

    @Test
    void lineEndingInCrLfKeepsTheCrWithAnLfNewline() throws Exception {
        try (var server = lineServer(); var raw = server.rawClient()) {
            // with Newline.LF exactly one \n is removed: "abc\r\n" arrives as "abc\r" and goes back as "abc\r\n"
            sendAndResync(server, raw, "abc\r\n".getBytes(UTF_8), "abc\n".getBytes(UTF_8),
                    "abc\r\nabc\n".getBytes(UTF_8));
            assertThat(server.drainErrors()).isEmpty();
            server.assertServing();
        }
    }

    @Test
    void lineTruncatedThenDisconnectIsAClientDisconnectCountingTheLostBytes() throws Exception {
        try (var server = lineServer()) {
            assertTruncatedThenDisconnectLoses(server, "partial".getBytes(UTF_8), 7);
        }
    }

    // ---- length-prefixed frames (4-byte big-endian)

    private static void assertFrameTooLarge(Throwable error, long announced) {
        assertParseError(error, Reason.PACKET_TOO_LARGE, 0, "frame of " + announced + " bytes is larger than the "
                + LIMIT + "-byte limit; its body is skipped");
    }

    @Test
    void framePrefixOfTwoToTheThirtyFirstIsTooLargeAtOnceAndItsBodyIsSkippedUntilTheClientLeaves()
            throws Exception {
        try (var server = framedServer()) {
            try (var raw = server.rawClient()) {
                BadInputTally.BAD_INPUTS.incrementAndGet();
                writeAll(raw, prefix(1L << 31));
                assertFrameTooLarge(server.nextError(), 1L << 31);
                server.assertServing();
                writeAll(raw, concat(prefix(3), new byte[] {1, 2, 3}));
            }
            assertDisconnectInsideSkippedFrame(server.nextError());
            assertThat(server.drainErrors()).isEmpty();
            server.assertServing();
        }
    }

    @Test
    void framePrefixOfAllOnesIsTooLargeAtOnce() throws Exception {
        try (var server = framedServer()) {
            try (var raw = server.rawClient()) {
                BadInputTally.BAD_INPUTS.incrementAndGet();
                writeAll(raw, prefix(0xFFFFFFFFL));
                assertFrameTooLarge(server.nextError(), 0xFFFFFFFFL);
                server.assertServing();
            }
            assertDisconnectInsideSkippedFrame(server.nextError());
            assertThat(server.drainErrors()).isEmpty();
            server.assertServing();
        }
    }

    @Test
    void frameOneByteOverTheLimitIsSkippedAndTheNextFrameIsServed() throws Exception {
        byte[] valid = concat(prefix(LIMIT), repeat('v', LIMIT));
        try (var server = framedServer(); var raw = server.rawClient()) {
            sendAndResync(server, raw, concat(prefix(LIMIT + 1), repeat('x', LIMIT + 1)), valid, valid);
            assertThat(server.drainErrors()).singleElement().satisfies(e -> assertFrameTooLarge(e, LIMIT + 1));
            server.assertServing();
        }
    }

    @Test
    void frameFarOverTheLimitStreamedInChunksIsSkippedAndTheNextFrameIsServed() throws Exception {
        long size = 8L * 1024 * 1024;
        byte[] valid = concat(prefix(3), new byte[] {7, 8, 9});
        try (var server = framedServer(); var raw = server.rawClient()) {
            BadInputTally.BAD_INPUTS.incrementAndGet();
            writeAll(raw, prefix(size));
            streamChunks(raw, 'x', size);
            writeAll(raw, valid);
            assertThat(readExactly(raw, valid.length)).containsExactly(valid);
            assertThat(server.drainErrors()).singleElement().satisfies(e -> assertFrameTooLarge(e, size));
            server.assertServing();
        }
    }

    @Test
    void nulBytesAreEmptyFramesAndEachIsEchoed() throws Exception {
        try (var server = framedServer(); var raw = server.rawClient()) {
            byte[] valid = concat(prefix(1), new byte[] {42});
            sendAndResync(server, raw, new byte[10_000], valid, concat(new byte[10_000], valid));
            assertThat(server.drainErrors()).isEmpty();
            server.assertServing();
        }
    }

    @Test
    void truncatedFrameThenDisconnectIsAClientDisconnectCountingTheLostBytes() throws Exception {
        try (var server = framedServer()) {
            assertTruncatedThenDisconnectLoses(server, concat(prefix(100), new byte[10]), 14);
        }
    }

    @Test
    void frameRandomBytesAnnounceAHugeFrameThatIsTooLargeAtOnce() throws Exception {
        var random = new Random(SEED + 2);
        byte[] garbage = new byte[4096];
        random.nextBytes(garbage);
        long announced = Integer.toUnsignedLong(ByteBuffer.wrap(garbage).getInt());
        assertThat(announced).as("seed " + (SEED + 2) + " announces more than the limit").isGreaterThan(LIMIT);
        try (var server = framedServer()) {
            try (var raw = server.rawClient()) {
                BadInputTally.BAD_INPUTS.incrementAndGet();
                writeAll(raw, garbage);
                assertFrameTooLarge(server.nextError(), announced);
                server.assertServing();
            }
            assertDisconnectInsideSkippedFrame(server.nextError());
            assertThat(server.drainErrors()).isEmpty();
            server.assertServing();
        }
    }
}
