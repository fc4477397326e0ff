package io.easynet.serializer;

import static io.easynet.serializer.DecoderFeeder.failure;
import static io.easynet.serializer.DecoderFeeder.packet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.easynet.protocol.PacketBuffer;
import io.easynet.protocol.StreamProtocolParseException.Reason;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LineSerializerTest {

    // ---- encoding -------------------------------------------------------------------------------------------

    @Test
    void defaultEncodesUtf8FollowedByLf() {
        assertThat(encode(new LineSerializer(), "héllo"))
                .containsExactly(0x68, 0xc3, 0xa9, 0x6c, 0x6c, 0x6f, 0x0a);
    }

    @Test
    void encodesWithTheChosenNewline() {
        assertThat(encode(new LineSerializer(Newline.CR, StandardCharsets.UTF_8), "abc"))
                .containsExactly('a', 'b', 'c', '\r');
        assertThat(encode(new LineSerializer(Newline.CRLF, StandardCharsets.UTF_8), "abc"))
                .containsExactly('a', 'b', 'c', '\r', '\n');
    }

    @Test
    void emptyStringIsJustTheNewline() {
        assertThat(encode(new LineSerializer(Newline.CRLF, StandardCharsets.UTF_8), "")).containsExactly('\r', '\n');
    }

    @Test
    void encodesInTheChosenCharset() {
        assertThat(encode(new LineSerializer(Newline.LF, StandardCharsets.ISO_8859_1), "café ÿ"))
                .containsExactly(0x63, 0x61, 0x66, 0xe9, 0x20, 0xff, 0x0a);
    }

    @Test
    void stringContainingTheNewlineIsRefusedAndNothingIsWritten() {
        PacketBuffer out = new PacketBuffer(16);
        out.write('x');

        assertThatThrownBy(() -> new LineSerializer().encode("two\nlines", out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("LineSerializer cannot send a packet whose bytes contain its separator \"\\x0a\" (the peer "
                        + "would read two packets): \"two\\x0alines\"");
        assertThatThrownBy(() -> new LineSerializer(Newline.CR, StandardCharsets.UTF_8).encode("a\rb", out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("LineSerializer cannot send a packet whose bytes contain its separator \"\\x0d\"");
        assertThatThrownBy(() -> new LineSerializer(Newline.CRLF, StandardCharsets.UTF_8).encode("a\r\nb", out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("LineSerializer cannot send a packet whose bytes contain its separator \"\\x0d\\x0a\"");
        assertThat(out.toByteArray()).containsExactly('x');
    }

    @Test
    void characterTheCharsetCannotRepresentIsRefusedNotReplaced() {
        PacketBuffer out = new PacketBuffer(16);
        out.write('x');

        assertThatThrownBy(() -> new LineSerializer(Newline.LF, StandardCharsets.ISO_8859_1).encode("5 €", out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("line to send cannot be encoded in ISO-8859-1: 5 €")
                .hasCauseInstanceOf(CharacterCodingException.class);
        assertThatThrownBy(() -> new LineSerializer().encode("lone surrogate \ud800", out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("line to send cannot be encoded in UTF-8: ");
        assertThat(out.toByteArray()).containsExactly('x');
    }

    @Test
    void loneCrOrLfIsAllowedInACrlfLineAndRoundTrips() {
        LineSerializer serializer = new LineSerializer(Newline.CRLF, StandardCharsets.UTF_8);
        DecoderFeeder<String> feeder = new DecoderFeeder<>(serializer.newDecoder(64));
        PacketBuffer out = new PacketBuffer(0);

        serializer.encode("a\nb", out);
        serializer.encode("c\rd", out);
        serializer.encode("ends with cr\r", out);

        assertThat(out.toByteArray()).isEqualTo("a\nb\r\nc\rd\r\nends with cr\r\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(feeder.feed(out.toByteArray()))
                .containsExactly(packet("a\nb"), packet("c\rd"), packet("ends with cr\r"));
    }

    // ---- decoding -------------------------------------------------------------------------------------------

    @Test
    void lfLinesDecodeOneByOne() {
        DecoderFeeder<String> feeder = new DecoderFeeder<>(new LineSerializer().newDecoder(64));

        assertThat(feeder.feed("first\n\nthird with\rcr\npartial"))
                .containsExactly(packet("first"), packet(""), packet("third with\rcr"));
        assertThat(feeder.buffered()).isEqualTo("partial".length());
        assertThat(feeder.feed("\n")).containsExactly(packet("partial"));
    }

    @Test
    void crLinesDecodeOneByOne() {
        DecoderFeeder<String> feeder = new DecoderFeeder<>(new LineSerializer(Newline.CR, StandardCharsets.UTF_8)
                .newDecoder(64));

        assertThat(feeder.feed("one\rtwo\nstill two\r\r"))
                .containsExactly(packet("one"), packet("two\nstill two"), packet(""));
        assertThat(feeder.buffered()).isZero();
    }

    @Test
    void crlfLinesDecodeOneByOne() {
        DecoderFeeder<String> feeder = new DecoderFeeder<>(new LineSerializer(Newline.CRLF, StandardCharsets.UTF_8)
                .newDecoder(64));

        assertThat(feeder.feed("one\r\ntwo\nthree\r\n\r\n"))
                .containsExactly(packet("one"), packet("two\nthree"), packet(""));
        assertThat(feeder.buffered()).isZero();
    }

    @Test
    void crlfSplitBetweenTwoChunksEndsTheLine() {
        DecoderFeeder<String> feeder = new DecoderFeeder<>(new LineSerializer(Newline.CRLF, StandardCharsets.UTF_8)
                .newDecoder(64));

        assertThat(feeder.feed("abc\r")).isEmpty();
        assertThat(feeder.buffered()).isEqualTo(4);
        assertThat(feeder.feed("\ndef\r\n")).containsExactly(packet("abc"), packet("def"));
        assertThat(feeder.buffered()).isZero();
    }

    @Test
    void crlfLineFedByteByByteDecodesOnce() {
        DecoderFeeder<String> feeder = new DecoderFeeder<>(new LineSerializer(Newline.CRLF, StandardCharsets.UTF_8)
                .newDecoder(64));

        assertThat(feeder.feedByteByByte("x\ry\r\r\nz\r\n".getBytes(StandardCharsets.US_ASCII)))
                .containsExactly(packet("x\ry\r"), packet("z"));
    }

    @Test
    void decodesInTheChosenCharset() {
        DecoderFeeder<String> feeder = new DecoderFeeder<>(new LineSerializer(Newline.LF, StandardCharsets.ISO_8859_1)
                .newDecoder(64));

        assertThat(feeder.feed(new byte[] {'c', 'a', 'f', (byte) 0xe9, ' ', (byte) 0xff, '\n', (byte) 0xc3, (byte) 0xa9,
                '\n'}))
                .containsExactly(packet("café ÿ"), packet("Ã©"));
    }

    @Test
    void invalidUtf8IsInvalidPacketNotReplacementCharactersAndTheNextLineDecodes() {
        DecoderFeeder<String> feeder = new DecoderFeeder<>(new LineSerializer().newDecoder(64));

        assertThat(feeder.feed(new byte[] {'o', 'k', '\n', 'a', (byte) 0xc3, '(', '\n', (byte) 0xff, '\n', 'f', 'i',
                'n', 'e', '\n'}))
                .containsExactly(packet("ok"), failure(Reason.INVALID_PACKET, 3), failure(Reason.INVALID_PACKET, 7),
                        packet("fine"));
        assertThat(feeder.failures().get(0))
                .hasMessage("line is not valid UTF-8: \"a\\xc3(\" (packet at stream offset 3)")
                .hasCauseInstanceOf(CharacterCodingException.class);
        assertThat(feeder.failures().get(1)).hasMessage("line is not valid UTF-8: \"\\xff\" (packet at stream offset 7)");
    }

    @Test
    void truncatedUtf8SequenceAtTheEndOfTheLineIsInvalidPacket() {
        DecoderFeeder<String> feeder = new DecoderFeeder<>(new LineSerializer().newDecoder(64));

        // The first two bytes of the three-byte "€" (e2 82 ac), then the newline.
        assertThat(feeder.feed(new byte[] {(byte) 0xe2, (byte) 0x82, '\n', (byte) 0xe2, (byte) 0x82, (byte) 0xac, '\n'}))
                .containsExactly(failure(Reason.INVALID_PACKET, 0), packet("€"));
    }

    @Test
    void errorMessagePreviewsOnlyTheStartOfALongBadLine() {
        DecoderFeeder<String> feeder = new DecoderFeeder<>(new LineSerializer().newDecoder(1024));
        byte[] line = new byte[101];
        Arrays.fill(line, (byte) 'q');
        line[0] = (byte) 0x80;
        line[100] = '\n';

        assertThat(feeder.feed(line)).containsExactly(failure(Reason.INVALID_PACKET, 0));
        assertThat(feeder.failures().getFirst()).hasMessage("line is not valid UTF-8: \"\\x80" + "q".repeat(31)
                + "\"... (100 bytes) (packet at stream offset 0)");
    }

    @Test
    void lineOfExactlyTheLimitIsAcceptedAndOneByteMoreIsTooLarge() {
        DecoderFeeder<String> feeder = new DecoderFeeder<>(new LineSerializer().newDecoder(8));

        assertThat(feeder.feed("12345678\n123456789\nok\n"))
                .containsExactly(packet("12345678"), failure(Reason.PACKET_TOO_LARGE, 9), packet("ok"));
        assertThat(feeder.failures().getFirst()).hasMessage("packet of at least 9 bytes is larger than the 8-byte "
                + "limit; skipped up to the next separator (packet at stream offset 9)");
    }

    @Test
    void limitCountsBytesNotCharacters() {
        DecoderFeeder<String> feeder = new DecoderFeeder<>(new LineSerializer().newDecoder(8));

        // Five characters, ten bytes.
        assertThat(feeder.feed("ééééé\n")).containsExactly(failure(Reason.PACKET_TOO_LARGE, 0));
    }

    @Test
    void oversizeLineIsReportedOnceAndSkippedAcrossChunksThenTheNextLineDecodesAtTheRightOffset() {
        DecoderFeeder<String> feeder = new DecoderFeeder<>(new LineSerializer().newDecoder(8));

        assertThat(feeder.feed("abcdef")).isEmpty();
        assertThat(feeder.feed("ghij")).containsExactly(failure(Reason.PACKET_TOO_LARGE, 0));
        assertThat(feeder.feed("klmnopqrstuvwxyz")).isEmpty();
        assertThat(feeder.buffered()).isZero();
        assertThat(feeder.feed("!\nnext\n")).containsExactly(packet("next"));
        // 6 + 4 + 16 + 2 bytes of the oversize line, then "next\n".
        assertThat(feeder.feed(new byte[] {(byte) 0xff, '\n'})).containsExactly(failure(Reason.INVALID_PACKET, 33));
        assertThat(feeder.failures().getFirst()).hasMessage("packet of at least 10 bytes is larger than the 8-byte "
                + "limit; skipped up to the next separator (packet at stream offset 0)");
    }

    @Test
    void crlfOversizeLineKeepsAPossibleCrUntilItsLfArrives() {
        DecoderFeeder<String> feeder = new DecoderFeeder<>(new LineSerializer(Newline.CRLF, StandardCharsets.UTF_8)
                .newDecoder(4));

        assertThat(feeder.feed("abcd\r")).as("four bytes and a possible separator start").isEmpty();
        assertThat(feeder.feed("\n")).containsExactly(packet("abcd"));

        assertThat(feeder.feed("abcdef")).containsExactly(failure(Reason.PACKET_TOO_LARGE, 6));
        assertThat(feeder.buffered()).as("the last byte may be the start of CRLF").isEqualTo(1);
        assertThat(feeder.feed("gh\r")).isEmpty();
        assertThat(feeder.buffered()).isEqualTo(1);
        assertThat(feeder.feed("\nok\r\n")).containsExactly(packet("ok"));
        // "abcd\r\n" is 6 bytes, the oversize "abcdefgh\r\n" 10 and "ok\r\n" 4.
        assertThat(feeder.feed(new byte[] {(byte) 0xff, '\r', '\n'}))
                .containsExactly(failure(Reason.INVALID_PACKET, 20));
        assertThat(feeder.failures().getFirst()).hasMessage("packet of at least 5 bytes is larger than the 4-byte "
                + "limit; skipped up to the next separator (packet at stream offset 6)");
    }

    @Test
    void nonPositiveLimitIsRefused() {
        assertThatThrownBy(() -> new LineSerializer().newDecoder(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxPacketSize must be positive, got -1");
    }

    @Test
    void toStringNamesNewlineAndCharset() {
        assertThat(new LineSerializer(Newline.CRLF, StandardCharsets.ISO_8859_1))
                .hasToString("LineSerializer[CRLF, ISO-8859-1]");
    }

    private static byte[] encode(LineSerializer serializer, String line) {
        PacketBuffer out = new PacketBuffer(0);
        serializer.encode(line, out);
        return out.toByteArray();
    }

    @Test
    void charsetThatDoesNotEncodeTheNewlineAsAsciiIsRefused() {
        assertThatThrownBy(() -> new LineSerializer(Newline.LF, StandardCharsets.UTF_16))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("charset UTF-16 does not encode the newline as ASCII does");
    }

    // ---- keep end -------------------------------------------------------------------------------------------

    @Test
    void keepEndHandsLinesWithTheirNewline() {
        assertThat(new DecoderFeeder<>(new LineSerializer(Newline.LF, StandardCharsets.UTF_8, true).newDecoder(64))
                .feed("one\n\nabc\r\n"))
                .containsExactly(packet("one\n"), packet("\n"), packet("abc\r\n"));
        assertThat(new DecoderFeeder<>(new LineSerializer(Newline.CR, StandardCharsets.UTF_8, true).newDecoder(64))
                .feed("one\rtwo\n\r"))
                .containsExactly(packet("one\r"), packet("two\n\r"));
        assertThat(new DecoderFeeder<>(new LineSerializer(Newline.CRLF, StandardCharsets.UTF_8, true).newDecoder(64))
                .feed("one\r\nx\ry\r\r\n"))
                .containsExactly(packet("one\r\n"), packet("x\ry\r\r\n"));
    }

    @Test
    void withoutKeepEndExactlyOneNewlineIsRemoved() {
        // EasyNetwork's keep_end=False: with LF, the CR before it stays part of the line.
        assertThat(new DecoderFeeder<>(new LineSerializer().newDecoder(64)).feed("abc\r\n"))
                .containsExactly(packet("abc\r"));
    }

    @Test
    void keepEndLimitCountsTheLineWithoutItsNewline() {
        DecoderFeeder<String> feeder = new DecoderFeeder<>(new LineSerializer(Newline.CRLF, StandardCharsets.UTF_8,
                true).newDecoder(3));

        assertThat(feeder.feed("abc\r\nabcd\r\nok\r\n"))
                .containsExactly(packet("abc\r\n"), failure(Reason.PACKET_TOO_LARGE, 5), packet("ok\r\n"));
    }

    @Test
    void keepEndOneShotFormAppendsTheNewline() throws Exception {
        byte[] data = "xxabc".getBytes(StandardCharsets.US_ASCII);

        assertThat(new LineSerializer(Newline.CRLF, StandardCharsets.UTF_8, true).deserialize(data, 2, 3))
                .isEqualTo("abc\r\n");
        assertThat(new LineSerializer(Newline.CRLF, StandardCharsets.UTF_8, false).deserialize(data, 2, 3))
                .isEqualTo("abc");
    }

    @Test
    void stringEndingWithTheNewlineIsSentWithoutASecondOne() {
        assertThat(encode(new LineSerializer(), "abc\n")).containsExactly('a', 'b', 'c', '\n');
        assertThat(encode(new LineSerializer(), "\n")).containsExactly('\n');
        assertThat(encode(new LineSerializer(Newline.CRLF, StandardCharsets.UTF_8), "abc\r\n"))
                .containsExactly('a', 'b', 'c', '\r', '\n');
        assertThat(encode(new LineSerializer(Newline.CRLF, StandardCharsets.UTF_8), "abc\n"))
                .as("a lone LF is not the CRLF newline").containsExactly('a', 'b', 'c', '\n', '\r', '\n');
        assertThatThrownBy(() -> encode(new LineSerializer(), "abc\n\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("LineSerializer cannot send a packet whose bytes contain its separator");
    }

    @Test
    void lineReceivedWithKeepEndIsSentBackUnchanged() {
        LineSerializer serializer = new LineSerializer(Newline.CRLF, StandardCharsets.UTF_8, true);
        DecoderFeeder<String> feeder = new DecoderFeeder<>(serializer.newDecoder(64));
        List<DecoderFeeder.Outcome> received = feeder.feed("hello\r\n");

        String line = (String) ((DecoderFeeder.Packet) received.getFirst()).value();
        assertThat(encode(serializer, line)).isEqualTo("hello\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void toStringSaysWhenEndsAreKept() {
        assertThat(new LineSerializer(Newline.LF, StandardCharsets.UTF_8, true))
                .hasToString("LineSerializer[LF, UTF-8, keep end]");
    }

    // ---- EasyNetwork's default and strict charsets ----------------------------------------------------------

    @Test
    void usAsciiLfIsEasyNetworksDefaultAndRefusesWhatAsciiCannotHold() {
        LineSerializer ascii = new LineSerializer(Newline.LF, StandardCharsets.US_ASCII);

        assertThat(encode(ascii, "GET /")).containsExactly('G', 'E', 'T', ' ', '/', '\n');
        assertThatThrownBy(() -> ascii.serialize("caf\u00e9"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("line to send cannot be encoded in US-ASCII: caf\u00e9")
                .hasCauseInstanceOf(CharacterCodingException.class);
        DecoderFeeder<String> feeder = new DecoderFeeder<>(ascii.newDecoder(64));
        assertThat(feeder.feed(new byte[] {'o', 'k', '\n', 'c', (byte) 0xc3, (byte) 0xa9, '\n'}))
                .containsExactly(packet("ok"), failure(Reason.INVALID_PACKET, 3));
        assertThat(feeder.failures().getFirst())
                .hasMessage("line is not valid US-ASCII: \"c\\xc3\\xa9\" (packet at stream offset 3)");
    }

    @Test
    void replacementCharacterSentByThePeerIsValidUtf8() {
        LineSerializer utf8 = new LineSerializer();

        assertThat(encode(utf8, "\uFFFD")).containsExactly(0xef, 0xbf, 0xbd, '\n');
        assertThat(new DecoderFeeder<>(utf8.newDecoder(64)).feed(new byte[] {(byte) 0xef, (byte) 0xbf, (byte) 0xbd,
                '\n'})).containsExactly(packet("\uFFFD"));
    }

    @Test
    void utf8ThatIsNotMinimalOrEncodesASurrogateIsRefused() {
        DecoderFeeder<String> feeder = new DecoderFeeder<>(new LineSerializer().newDecoder(64));

        // "/" as an overlong two-byte sequence, then U+D800 encoded as if it were a character, then a valid emoji.
        assertThat(feeder.feed(new byte[] {(byte) 0xc0, (byte) 0xaf, '\n', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '\n',
                (byte) 0xf0, (byte) 0x9f, (byte) 0x98, (byte) 0x80, '\n'}))
                .containsExactly(failure(Reason.INVALID_PACKET, 0), failure(Reason.INVALID_PACKET, 3),
                        packet("\uD83D\uDE00"));
    }

    @Test
    void surrogatePairIsEncodedButAnUnpairedSurrogateIsRefused() {
        LineSerializer utf8 = new LineSerializer();

        assertThat(encode(utf8, "\uD83D\uDE00")).containsExactly(0xf0, 0x9f, 0x98, 0x80, '\n');
        assertThatThrownBy(() -> utf8.serialize("a\uDE00b")).isInstanceOf(IllegalArgumentException.class)
                .hasCauseInstanceOf(CharacterCodingException.class);
        assertThatThrownBy(() -> utf8.serialize("ends high \uD83D")).isInstanceOf(IllegalArgumentException.class)
                .hasCauseInstanceOf(CharacterCodingException.class);
        assertThatThrownBy(() -> utf8.serialize("\uDE00\uD83D")).isInstanceOf(IllegalArgumentException.class)
                .hasCauseInstanceOf(CharacterCodingException.class);
    }

    @Test
    void otherCharsetsAreStrictToo() {
        Charset windows1252 = Charset.forName("windows-1252");
        LineSerializer serializer = new LineSerializer(Newline.LF, windows1252);

        assertThat(encode(serializer, "5 \u20ac")).containsExactly('5', ' ', 0x80, '\n');
        assertThatThrownBy(() -> serializer.serialize("\u0100")).isInstanceOf(IllegalArgumentException.class);
        // 0x81 is unassigned in windows-1252.
        assertThat(new DecoderFeeder<>(serializer.newDecoder(64)).feed(new byte[] {(byte) 0x80, '\n', (byte) 0x81,
                '\n'})).containsExactly(packet("\u20ac"), failure(Reason.INVALID_PACKET, 2));
    }

    // ---- properties -----------------------------------------------------------------------------------------

    private static final String[] PIECES = {"a", "Z", " ", "\r", "\n", "\u00e9", "\u20ac", "\uD83D\uDE00", "\uFFFD"};

    @ParameterizedTest(name = "{0}, keep end {1}, seed {2}")
    @CsvSource({"LF, false, 1", "LF, true, 2", "CR, false, 3", "CR, true, 4", "CRLF, false, 5", "CRLF, true, 6"})
    void anyLinesSplitAnywhereDecodeToTheSameLines(Newline newline, boolean keepEnd, long seed) {
        Random random = new Random(seed);
        LineSerializer serializer = new LineSerializer(newline, StandardCharsets.UTF_8, keepEnd);
        String newlineText = new String(newline.bytes(), StandardCharsets.US_ASCII);
        for (int round = 0; round < 20; round++) {
            List<String> lines = randomLines(random, newlineText, 30, 40);

            List<DecoderFeeder.Outcome> outcomes = RandomStreams.feedInRandomChunks(serializer.newDecoder(1024),
                    RandomStreams.encodeAll(serializer, lines), random, 1024 + 2);

            assertThat(outcomes).containsExactlyElementsOf(lines.stream()
                    .map(line -> packet(keepEnd ? line + newlineText : line)).toList());
        }
    }

    @ParameterizedTest(name = "{0}, seed {1}")
    @CsvSource({"LF, 11", "CR, 12", "CRLF, 13"})
    void linesOverTheLimitAreReportedAtTheirStartAtAnySplitAndTheOthersDecode(Newline newline, long seed) {
        Random random = new Random(seed);
        int limit = 24;
        LineSerializer serializer = new LineSerializer(newline, StandardCharsets.UTF_8);
        String newlineText = new String(newline.bytes(), StandardCharsets.US_ASCII);
        for (int round = 0; round < 20; round++) {
            List<String> lines = randomLines(random, newlineText, 20, 20);
            List<DecoderFeeder.Outcome> expected = new ArrayList<>();
            long offset = 0;
            for (String line : lines) {
                int length = line.getBytes(StandardCharsets.UTF_8).length;
                expected.add(length > limit ? failure(Reason.PACKET_TOO_LARGE, offset) : packet(line));
                offset += length + newlineText.length();
            }

            assertThat(RandomStreams.feedInRandomChunks(serializer.newDecoder(limit),
                    RandomStreams.encodeAll(serializer, lines), random, limit + 2)).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "{0}, seed {1}")
    @CsvSource({"LF, 21", "CR, 22", "CRLF, 23"})
    void garbageOnlyYieldsParseErrors(Newline newline, long seed) {
        Random random = new Random(seed);
        for (int round = 0; round < 20; round++) {
            RandomStreams.feedGarbage(new LineSerializer(newline, StandardCharsets.UTF_8).newDecoder(16), random, 2000,
                    16 + 2);
        }
    }

    private static List<String> randomLines(Random random, String newline, int count, int maxPieces) {
        List<String> lines = new ArrayList<>();
        while (lines.size() < count) {
            StringBuilder line = new StringBuilder();
            for (int pieces = random.nextInt(maxPieces); pieces > 0; pieces--) {
                line.append(PIECES[random.nextInt(PIECES.length)]);
            }
            if (!line.toString().contains(newline)) {
                lines.add(line.toString());
            }
        }
        return lines;
    }
}
