package io.easynet.serializer;

import static io.easynet.serializer.DecoderFeeder.failure;
import static io.easynet.serializer.DecoderFeeder.packet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.easynet.protocol.DeserializeException;
import io.easynet.protocol.PacketBuffer;
import io.easynet.protocol.StreamProtocolParseException.Reason;
import io.easynet.serializer.Base64Serializer.Alphabet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Base64 tokens. Expected tokens were computed with Python 3.11's standard library, as EasyNetwork's
 * {@code Base64EncoderSerializer} builds them: {@code base64.urlsafe_b64encode(data [+ digest]) + b"\r\n"}, the
 * digest being {@code hashlib.sha256(data).digest()} or {@code hmac.digest(key, data, "sha256")}.
 */
class Base64SerializerTest {

    /** {@code base64.urlsafe_b64encode(bytes(range(32)))}. */
    private static final String KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    private static final ObjectNode A_1 = JsonNodeFactory.instance.objectNode().put("a", 1);

    // ---- the wire format: golden bytes ----------------------------------------------------------------------

    @Test
    void encodesJsonAsAnUrlSafePaddedTokenEndedByCrlfByDefault() {
        assertThat(ascii(encode(new Base64Serializer<>(JsonSerializer.tree()), A_1))).isEqualTo("eyJhIjoxfQ==\r\n");
        assertThat(new Base64Serializer<>(JsonSerializer.tree()).serialize(A_1)).isEqualTo(bytes("eyJhIjoxfQ=="));
    }

    @Test
    void urlSafeAndStandardAlphabetsDifferInTheirLastTwoCharacters() {
        LineSerializer lines = new LineSerializer();

        assertThat(ascii(encode(new Base64Serializer<>(lines), "??>"))).isEqualTo("Pz8-\r\n");
        assertThat(ascii(encode(Base64Serializer.builder(lines).alphabet(Alphabet.STANDARD).build(), "??>")))
                .isEqualTo("Pz8+\r\n");
        assertThat(ascii(encode(Base64Serializer.builder(lines).alphabet(Alphabet.STANDARD).build(), "??\u00bf")))
                .as("\"??\u00bf\" in UTF-8 is 3f 3f c2 bf").isEqualTo("Pz/Cvw==\r\n");
    }

    @Test
    void checksumAppendsTheSha256OfTheBytesBeforeEncoding() {
        assertThat(ascii(encode(Base64Serializer.builder(JsonSerializer.tree()).checksum().build(), A_1)))
                .isEqualTo("eyJhIjoxfQFavX9cxXot2Ut1kPBK2AhCc5Be4z7Fzr6uYidql_hi\r\n");
        assertThat(ascii(encode(Base64Serializer.builder(JsonSerializer.tree()).checksum()
                .alphabet(Alphabet.STANDARD).build(), A_1)))
                .isEqualTo("eyJhIjoxfQFavX9cxXot2Ut1kPBK2AhCc5Be4z7Fzr6uYidql/hi\r\n");
    }

    @Test
    void signedChecksumAppendsTheHmacSha256UnderTheDecodedKey() {
        assertThat(ascii(encode(Base64Serializer.builder(JsonSerializer.tree()).signedChecksum(KEY).build(), A_1)))
                .isEqualTo("eyJhIjoxfbTOveMJgkQ-w2wY-pmtEKcOcFu6d59Xw36E3stkrlD7\r\n");
    }

    @Test
    void decodesEasyNetworkTokensOfEachKind() {
        assertThat(decodeAll(new Base64Serializer<>(JsonSerializer.tree()), "eyJhIjoxfQ==\r\n"))
                .containsExactly(packet(A_1));
        assertThat(decodeAll(Base64Serializer.builder(JsonSerializer.tree()).checksum().build(),
                "eyJhIjoxfQFavX9cxXot2Ut1kPBK2AhCc5Be4z7Fzr6uYidql_hi\r\n")).containsExactly(packet(A_1));
        assertThat(decodeAll(Base64Serializer.builder(JsonSerializer.tree()).signedChecksum(KEY).build(),
                "eyJhIjoxfbTOveMJgkQ-w2wY-pmtEKcOcFu6d59Xw36E3stkrlD7\r\n")).containsExactly(packet(A_1));
        assertThat(decodeAll(Base64Serializer.builder(new LineSerializer()).alphabet(Alphabet.STANDARD).build(),
                "Pz8+\r\nPz/Cvw==\r\n")).containsExactly(packet("??>"), packet("??\u00bf"));
    }

    // ---- refusals -------------------------------------------------------------------------------------------

    @Test
    void tokenWithAnAlteredByteFailsItsSignedChecksumAndTheNextTokenStillDecodes() {
        String token = "eyJhIjoxfbTOveMJgkQ-w2wY-pmtEKcOcFu6d59Xw36E3stkrlD7";
        String altered = token.substring(0, 20) + "x" + token.substring(21);
        var serializer = Base64Serializer.builder(JsonSerializer.tree()).signedChecksum(KEY).build();
        DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(serializer.newDecoder(1024));

        assertThat(feeder.feed(altered + "\r\n" + token + "\r\n"))
                .containsExactly(failure(Reason.INVALID_PACKET, 0), packet(A_1));
        assertThat(feeder.failures().getFirst()).hasMessage("invalid url-safe base64 token: its HMAC-SHA256 "
                + "checksum does not match (wrong key or altered data): \"" + altered.substring(0, 32)
                + "\"... (52 bytes) (packet at stream offset 0)");
    }

    @Test
    void tokenSignedWithAnotherKeyIsRefused() {
        var serializer = Base64Serializer.builder(JsonSerializer.tree()).signedChecksum(KEY).build();
        var otherKey = Base64Serializer.builder(JsonSerializer.tree())
                .signedChecksum(Base64Serializer.generateKey()).build();

        assertThat(decodeAll(serializer, ascii(encode(otherKey, A_1))))
                .containsExactly(failure(Reason.INVALID_PACKET, 0));
    }

    @Test
    void tokenTooShortToHoldItsChecksumIsRefused() {
        var serializer = Base64Serializer.builder(JsonSerializer.tree()).checksum().build();
        DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(serializer.newDecoder(1024));

        assertThat(feeder.feed("eyJhIjoxfQ==\r\n")).containsExactly(failure(Reason.INVALID_PACKET, 0));
        assertThat(feeder.failures().getFirst()).hasMessage("invalid url-safe base64 token: it holds 7 bytes, fewer "
                + "than its 32-byte checksum: \"eyJhIjoxfQ==\" (packet at stream offset 0)");
    }

    /**
     * Tokens Python's lenient decoder would accept or decode differently, which EasyNetwork never sends, are
     * refused: characters outside the alphabet (whitespace, the other alphabet's) and data after the padding.
     */
    @Test
    void decodingIsStrictWhereTheEncoderCouldNotHaveWrittenTheToken() {
        DecoderFeeder<String> feeder = new DecoderFeeder<>(new Base64Serializer<>(new LineSerializer())
                .newDecoder(1024));

        assertThat(feeder.feed("Pz8\r\nPz8=Pz8=\r\nPz+/\r\nP z8\r\nPz8-\r\n")).containsExactly(
                failure(Reason.INVALID_PACKET, 0), failure(Reason.INVALID_PACKET, 5),
                failure(Reason.INVALID_PACKET, 15), failure(Reason.INVALID_PACKET, 21), packet("??>"));
        assertThat(feeder.failures()).extracting(Throwable::getMessage).containsExactly(
                "invalid url-safe base64 token: its length 3 is not a multiple of 4: \"Pz8\" "
                        + "(packet at stream offset 0)",
                "invalid url-safe base64 token: Input byte array has incorrect ending byte at 4: \"Pz8=Pz8=\" "
                        + "(packet at stream offset 5)",
                "invalid url-safe base64 token: Illegal base64 character 2b: \"Pz+/\" (packet at stream offset 15)",
                "invalid url-safe base64 token: Illegal base64 character 20: \"P z8\" (packet at stream offset 21)");
    }

    @Test
    void innerSerializersRefusalIsAParseErrorForThatTokenOnly() {
        DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(new Base64Serializer<>(JsonSerializer.tree())
                .newDecoder(1024));
        String notJson = Base64.getUrlEncoder().encodeToString(bytes("{bad"));

        assertThat(feeder.feed(notJson + "\r\neyJhIjoxfQ==\r\n"))
                .containsExactly(failure(Reason.INVALID_PACKET, 0), packet(A_1));
        assertThat(feeder.failures().getFirst())
                .hasMessageStartingWith("invalid JSON at column 2: Unexpected character ('b' (code 98))")
                .hasMessageEndingWith(" in \"{bad\" (packet at stream offset 0)");
    }

    @Test
    void tokenOfExactlyTheLimitIsAcceptedAndALongerOneIsTooLargeWithoutLosingTheNext() {
        DecoderFeeder<String> feeder = new DecoderFeeder<>(new Base64Serializer<>(new LineSerializer())
                .newDecoder(8));

        assertThat(feeder.feed("Pz8-Pz8-\r\nPz8-Pz8-Pz8-\r\nPz8-\r\n")).containsExactly(packet("??>??>"),
                failure(Reason.PACKET_TOO_LARGE, 10), packet("??>"));
        assertThat(feeder.failures().getFirst()).hasMessage("packet of at least 12 bytes is larger than the 8-byte "
                + "limit; skipped up to the next separator (packet at stream offset 10)");
    }

    @Test
    void oneShotDeserializeChecksTheTokenAndWantsNoSeparator() throws Exception {
        var serializer = Base64Serializer.builder(JsonSerializer.tree()).checksum().build();
        byte[] token = bytes("xxeyJhIjoxfQFavX9cxXot2Ut1kPBK2AhCc5Be4z7Fzr6uYidql_hiyy");

        assertThat(serializer.deserialize(token, 2, token.length - 4)).isEqualTo(A_1);
        assertThatThrownBy(() -> serializer.deserialize(token, 0, token.length - 2))
                .isInstanceOf(DeserializeException.class)
                .hasMessageStartingWith("invalid url-safe base64 token: its length 54 is not a multiple of 4");
    }

    // ---- settings -------------------------------------------------------------------------------------------

    @Test
    void generatedKeysAreThirtyTwoRandomBytesUrlSafeEncodedAndWork() {
        String key = Base64Serializer.generateKey();

        assertThat(key).hasSize(44).endsWith("=").doesNotContain("+", "/");
        assertThat(Base64.getUrlDecoder().decode(key)).hasSize(32);
        assertThat(Base64Serializer.generateKey()).isNotEqualTo(key);
        var serializer = Base64Serializer.builder(JsonSerializer.tree()).signedChecksum(key).build();
        assertThat(decodeAll(serializer, ascii(encode(serializer, A_1)))).containsExactly(packet(A_1));
    }

    @Test
    void signingKeyThatIsNotThirtyTwoUrlSafeBase64BytesIsRefused() {
        var builder = Base64Serializer.builder(JsonSerializer.tree());

        assertThatThrownBy(() -> builder.signedChecksum(Base64.getUrlEncoder().encodeToString(new byte[16])))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("signing key must be 32 url-safe base64-encoded bytes, got 16 bytes");
        assertThatThrownBy(() -> builder.signedChecksum("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8/"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("signing key must be 32 url-safe base64-encoded bytes: Illegal base64 character 2f");
    }

    @Test
    void customSeparatorFramesTokens() {
        var serializer = Base64Serializer.builder(new LineSerializer()).separator(bytes("\n")).build();

        assertThat(ascii(encode(serializer, "??>"))).isEqualTo("Pz8-\n");
        assertThat(decodeAll(serializer, "Pz8-\nPz8=\n")).containsExactly(packet("??>"), packet("??"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"==", "-", "ab", "="})
    void separatorMadeOfCharactersBase64WritesIsRefusedForTheUrlSafeAlphabet(String separator) {
        var builder = Base64Serializer.builder(new LineSerializer()).separator(bytes(separator));

        assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("separator \"" + separator + "\" is made of characters URL_SAFE base64 writes, so a "
                        + "token could contain it; include a byte outside A-Z a-z 0-9 - _ =, such as \\r or \\n");
    }

    @Test
    void separatorIsCheckedAgainstTheChosenAlphabet() {
        var standard = Base64Serializer.builder(new LineSerializer()).separator(bytes("-"))
                .alphabet(Alphabet.STANDARD).build();

        assertThat(ascii(encode(standard, "??>"))).isEqualTo("Pz8+-");
        assertThatThrownBy(() -> Base64Serializer.builder(new LineSerializer()).separator(bytes("+"))
                .alphabet(Alphabet.STANDARD).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Base64Serializer.builder(new LineSerializer()).separator(new byte[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("separator must not be empty");
    }

    // ---- properties -----------------------------------------------------------------------------------------

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void anySequenceOfPacketsSplitAnywhereDecodesToTheSamePacketsAndRefusalsAsTheyCame(long seed) {
        Random random = new Random(seed);
        int limit = 40 + random.nextInt(160);
        Base64Serializer.Builder<String> builder = Base64Serializer.builder(Latin1Serializer.INSTANCE)
                .alphabet(random.nextBoolean() ? Alphabet.URL_SAFE : Alphabet.STANDARD);
        switch (random.nextInt(3)) {
            case 0 -> builder.checksum();
            case 1 -> builder.signedChecksum(KEY);
            default -> {
                // no checksum
            }
        }
        Base64Serializer<String> serializer = builder.build();
        PacketBuffer stream = new PacketBuffer(0);
        List<DecoderFeeder.Outcome> expected = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String packet = Latin1Serializer.random(random, random.nextInt(150), random.nextBoolean());
            if (random.nextInt(10) == 0) {
                packet = "!" + packet;
            }
            int start = stream.size();
            serializer.encode(packet, stream);
            int tokenLength = stream.size() - start - 2;
            expected.add(tokenLength > limit ? failure(Reason.PACKET_TOO_LARGE, start)
                    : packet.startsWith("!") ? failure(Reason.INVALID_PACKET, start) : packet(packet));
        }
        DecoderFeeder<String> feeder = new DecoderFeeder<>(serializer.newDecoder(limit));

        assertThat(RandomChunks.feed(feeder, stream.toByteArray(), random)).containsExactlyElementsOf(expected);
        assertThat(feeder.buffered()).isZero();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13, 14, 15, 16})
    void garbageOnlyEverYieldsParseErrorsAndIsConsumed(long seed) {
        Random random = new Random(seed);
        int limit = 60 + random.nextInt(100);
        Base64Serializer<JsonNode> serializer = Base64Serializer.builder(JsonSerializer.tree())
                .checksum().build();
        DecoderFeeder<JsonNode> feeder = new DecoderFeeder<>(serializer.newDecoder(limit));
        byte[] alphabet = bytes("eyJhIjoxfQ==-_+/\r\n\r\n\0\u007f");
        byte[] garbage = new byte[20_000];
        for (int i = 0; i < garbage.length; i++) {
            garbage[i] = random.nextBoolean() ? alphabet[random.nextInt(alphabet.length)] : (byte) random.nextInt();
        }

        List<DecoderFeeder.Outcome> outcomes = RandomChunks.feed(feeder, garbage, random);

        assertThat(outcomes).isNotEmpty().allMatch(DecoderFeeder.Failure.class::isInstance);
        assertThat(feeder.buffered()).isLessThanOrEqualTo(limit + 1);
        assertThat(feeder.feed("\r\n" + ascii(encode(serializer, A_1)))).last().isEqualTo(packet(A_1));
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static <T> byte[] encode(Base64Serializer<T> serializer, T packet) {
        PacketBuffer out = new PacketBuffer(0);
        serializer.encode(packet, out);
        return out.toByteArray();
    }

    private static <T> List<DecoderFeeder.Outcome> decodeAll(Base64Serializer<T> serializer, String stream) {
        return new DecoderFeeder<>(serializer.newDecoder(1024)).feed(stream);
    }

    private static String ascii(byte[] bytes) {
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
