package io.easynet.serializer;

import static io.easynet.serializer.DecoderFeeder.failure;
import static io.easynet.serializer.DecoderFeeder.packet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.easynet.protocol.DeserializeException;
import io.easynet.protocol.PacketBuffer;
import io.easynet.protocol.StreamProtocolParseException.Reason;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Records as Python struct layouts; expected bytes computed with Python 3.11's {@code struct.pack}. */
class StructSerializerTest {

    /** EasyNetwork's NamedTupleStructSerializer(Person, {"name": "8s", "age": "I", "flag": "B"}). */
    record Person(@StructField("8s") String name, @StructField("I") long age, @StructField("B") int flag) {
    }

    record AllFormats(@StructField("b") byte b, @StructField("B") int ub, @StructField("h") short h,
            @StructField("H") int uh, @StructField("i") int i, @StructField("I") long ui, @StructField("l") int l,
            @StructField("L") long ul, @StructField("q") long q, @StructField("Q") long uq, @StructField("f") float f,
            @StructField("d") double d, @StructField("?") boolean flag, @StructField("c") byte c) {
    }

    record Half(@StructField("e") float value) {
    }

    record Blob(@StructField("4s") byte[] data) {
    }

    record Unsigned(@StructField("Q") long value) {
    }

    record Positive(@StructField("i") int value) {
        Positive {
            if (value <= 0) {
                throw new IllegalArgumentException("value must be positive, got " + value);
            }
        }
    }

    private static final AllFormats EXTREMES = new AllFormats(Byte.MIN_VALUE, 255, Short.MIN_VALUE, 65535,
            Integer.MIN_VALUE, 4294967295L, Integer.MAX_VALUE, 0, Long.MIN_VALUE, Long.MAX_VALUE, 1.5f, -0.1, true,
            (byte) 'z');

    // ---- golden bytes ---------------------------------------------------------------------------------------

    @Test
    void personIsLaidOutAsEasyNetworksNamedTupleStructSerializerDoes() throws Exception {
        StructSerializer<Person> serializer = StructSerializer.of(Person.class);

        // struct.pack('!8sIB', b'John', 20, 1)
        byte[] bytes = serializer.serialize(new Person("John", 20, 1));
        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo("4a6f686e" + "00000000" + "00000014" + "01");
        assertThat(serializer.format()).isEqualTo("!8sIB");
        assertThat(serializer.size()).isEqualTo(13);
        assertThat(serializer.deserialize(bytes, 0, 13)).isEqualTo(new Person("John", 20, 1));
    }

    @Test
    void everyNumericFormatLittleEndian() throws Exception {
        StructSerializer<AllFormats> serializer = StructSerializer.of(AllFormats.class, '<');

        // struct.pack('<bBhHiIlLqQfd?c', -128, 255, -32768, 65535, -2**31, 2**32-1, 2**31-1, 0, -2**63, 2**63-1,
        //             1.5, -0.1, True, b'z')
        String expected = "80ff0080ffff00000080ffffffffffffff7f000000000000000000000080ffffffffffffff7f0000c03f"
                + "9a9999999999b9bf017a";
        byte[] bytes = serializer.serialize(EXTREMES);
        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(expected);
        assertThat(serializer.size()).isEqualTo(52);
        assertThat(serializer.format()).isEqualTo("<bBhHiIlLqQfd?c");
        assertThat(serializer.deserialize(bytes, 0, bytes.length)).isEqualTo(EXTREMES);
    }

    @Test
    void everyNumericFormatBigEndianWithBangOrGreaterThan() throws Exception {
        // the same values, struct.pack('>bBhHiIlLqQfd?c', ...)
        String expected = "80ff8000ffff80000000ffffffff7fffffff0000000080000000000000007fffffffffffffff3fc00000"
                + "bfb999999999999a017a";
        for (char order : new char[] {'!', '>'}) {
            StructSerializer<AllFormats> serializer = StructSerializer.of(AllFormats.class, order);
            byte[] bytes = serializer.serialize(EXTREMES);
            assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(expected);
            assertThat(serializer.deserialize(bytes, 0, bytes.length)).isEqualTo(EXTREMES);
        }
    }

    @Test
    void equalsSignIsTheMachinesByteOrderWithStandardSizes() {
        char same = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? '<' : '>';

        assertThat(StructSerializer.of(AllFormats.class, '=').serialize(EXTREMES))
                .isEqualTo(StructSerializer.of(AllFormats.class, same).serialize(EXTREMES));
        assertThat(StructSerializer.of(AllFormats.class, '=').size()).isEqualTo(52);
    }

    @Test
    void halfPrecisionFloatsRoundAsPythonDoes() throws Exception {
        StructSerializer<Half> big = StructSerializer.of(Half.class);

        // struct.pack('!e', x) for 1.5, -2.0, 0.1, 65504, nan, -inf, 1e-8; struct.pack('<e', 1.5)
        assertThat(hex(big.serialize(new Half(1.5f)))).isEqualTo("3e00");
        assertThat(hex(big.serialize(new Half(-2f)))).isEqualTo("c000");
        assertThat(hex(big.serialize(new Half(0.1f)))).isEqualTo("2e66");
        assertThat(hex(big.serialize(new Half(65504f)))).isEqualTo("7bff");
        assertThat(hex(big.serialize(new Half(Float.NaN)))).isEqualTo("7e00");
        assertThat(hex(big.serialize(new Half(Float.NEGATIVE_INFINITY)))).isEqualTo("fc00");
        assertThat(hex(big.serialize(new Half(1e-8f)))).isEqualTo("0000");
        assertThat(hex(StructSerializer.of(Half.class, '<').serialize(new Half(1.5f)))).isEqualTo("003e");
        // struct.unpack('!e', bytes.fromhex('2e66')) == (0.0999755859375,)
        assertThat(big.deserialize(HexFormat.of().parseHex("2e66"), 0, 2)).isEqualTo(new Half(0.0999755859375f));
    }

    @Test
    void halfPrecisionFloatBeyondItsRangeIsRefusedAsPythonDoes() {
        // Python: struct.pack('!e', 65520.0) raises OverflowError; 65519.99 rounds down to 65504.
        StructSerializer<Half> serializer = StructSerializer.of(Half.class);

        assertThat(hex(serializer.serialize(new Half(65519.99f)))).isEqualTo("7bff");
        assertThatThrownBy(() -> serializer.serialize(new Half(65520f)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Half.value is 65520.0, out of the range of format 'e' (-65504 to 65504)");
        assertThatThrownBy(() -> serializer.serialize(new Half(-1e6f))).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- strings and bytes ----------------------------------------------------------------------------------

    @Test
    void stringIsEncodedInUtf8AndPaddedWithNuls() {
        record Name(@StructField("4s") String name) {
        }

        // struct.pack('!4s', 'né'.encode())
        assertThat(hex(StructSerializer.of(Name.class).serialize(new Name("n\u00e9")))).isEqualTo("6ec3a900");
        assertThat(hex(StructSerializer.of(Name.class).serialize(new Name("")))).isEqualTo("00000000");
        assertThat(hex(StructSerializer.of(Name.class).serialize(new Name("abcd")))).isEqualTo("61626364");
    }

    @Test
    void stringLongerThanItsFieldIsRefusedWherePythonWouldCutItShort() {
        StructSerializer<Person> serializer = StructSerializer.of(Person.class);
        PacketBuffer out = new PacketBuffer(0);

        assertThatThrownBy(() -> serializer.encode(new Person("Johnathan", 20, 1), out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Person.name is 9 bytes in UTF-8, longer than the 8 of format '8s'");
        assertThatThrownBy(() -> serializer.encode(new Person("\u00e9\u00e9\u00e9\u00e9\u00e9", 20, 1), out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Person.name is 10 bytes in UTF-8, longer than the 8 of format '8s'");
        assertThat(out.size()).isZero();
    }

    @Test
    void stringTheCharsetCannotEncodeOrNullIsRefused() {
        StructSerializer<Person> ascii = StructSerializer.of(Person.class).withCharset(StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> ascii.serialize(new Person("caf\u00e9", 1, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Person.name cannot be encoded in US-ASCII: caf\u00e9")
                .hasCauseInstanceOf(CharacterCodingException.class);
        assertThatThrownBy(() -> ascii.serialize(new Person(null, 1, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Person.name is null");
    }

    @Test
    void trailingNulsAreStrippedFromReceivedStringsUnlessAskedToKeepThem() throws Exception {
        byte[] bytes = HexFormat.of().parseHex("6100620000000000" + "00000001" + "00");

        assertThat(StructSerializer.of(Person.class).deserialize(bytes, 0, 13)).isEqualTo(new Person("a\0b", 1, 0));
        assertThat(StructSerializer.of(Person.class).withStripTrailingNuls(false).deserialize(bytes, 0, 13))
                .isEqualTo(new Person("a\0b\0\0\0\0\0", 1, 0));
    }

    @Test
    void otherCharsetRoundTrips() throws Exception {
        StructSerializer<Person> latin1 = StructSerializer.of(Person.class).withCharset(StandardCharsets.ISO_8859_1);

        byte[] bytes = latin1.serialize(new Person("caf\u00e9", 3, 4));
        assertThat(hex(bytes)).isEqualTo("636166e900000000" + "00000003" + "04");
        assertThat(latin1.deserialize(bytes, 0, bytes.length)).isEqualTo(new Person("caf\u00e9", 3, 4));
    }

    @Test
    void byteArrayFieldKeepsItsBytesAndIsPadded() throws Exception {
        StructSerializer<Blob> serializer = StructSerializer.of(Blob.class);

        assertThat(hex(serializer.serialize(new Blob(new byte[] {(byte) 0xff, 0})))).isEqualTo("ff000000");
        assertThat(serializer.deserialize(HexFormat.of().parseHex("ff00ee00"), 0, 4).data())
                .containsExactly(0xff, 0, 0xee);
        assertThat(serializer.withStripTrailingNuls(false).deserialize(HexFormat.of().parseHex("ff00ee00"), 0, 4)
                .data()).containsExactly(0xff, 0, 0xee, 0);
        assertThatThrownBy(() -> serializer.serialize(new Blob(new byte[5])))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Blob.data is 5 bytes, longer than the 4 of format '4s'");
    }

    @Test
    void sWithoutCountIsOneByte() {
        record One(@StructField("s") String letter) {
        }

        assertThat(StructSerializer.of(One.class).serialize(new One("x"))).containsExactly('x');
    }

    // ---- ranges ---------------------------------------------------------------------------------------------

    @Test
    void unsignedValuesOutOfRangeAreRefusedNamingTheComponentAndTheRange() {
        StructSerializer<AllFormats> serializer = StructSerializer.of(AllFormats.class);

        assertThatThrownBy(() -> serializer.serialize(new AllFormats((byte) 0, 256, (short) 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, false, (byte) 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("AllFormats.ub is 256, out of the range of format 'B' (0 to 255)");
        assertThatThrownBy(() -> serializer.serialize(new AllFormats((byte) 0, -1, (short) 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, false, (byte) 0)))
                .hasMessage("AllFormats.ub is -1, out of the range of format 'B' (0 to 255)");
        assertThatThrownBy(() -> serializer.serialize(new AllFormats((byte) 0, 0, (short) 0, 65536, 0, 0, 0, 0, 0, 0,
                0, 0, false, (byte) 0)))
                .hasMessage("AllFormats.uh is 65536, out of the range of format 'H' (0 to 65535)");
        assertThatThrownBy(() -> serializer.serialize(new AllFormats((byte) 0, 0, (short) 0, 0, 0, 1L << 32, 0, 0, 0,
                0, 0, 0, false, (byte) 0)))
                .hasMessage("AllFormats.ui is 4294967296, out of the range of format 'I' (0 to 4294967295)");
        assertThatThrownBy(() -> serializer.serialize(new AllFormats((byte) 0, 0, (short) 0, 0, 0, 0, 0, -1, 0, 0, 0,
                0, false, (byte) 0)))
                .hasMessage("AllFormats.ul is -1, out of the range of format 'L' (0 to 4294967295)");
        assertThatThrownBy(() -> serializer.serialize(new AllFormats((byte) 0, 0, (short) 0, 0, 0, 0, 0, 0, 0, -1, 0,
                0, false, (byte) 0)))
                .hasMessage("AllFormats.uq is -1, out of the range of format 'Q' (0 to 9223372036854775807)");
    }

    @Test
    void receivedUnsignedLongBeyondLongMaxIsInvalidAndTheNextPacketDecodes() {
        DecoderFeeder<Unsigned> feeder = new DecoderFeeder<>(StructSerializer.of(Unsigned.class).newDecoder(64));

        assertThat(feeder.feed(HexFormat.of().parseHex("ffffffffffffffff" + "7fffffffffffffff")))
                .containsExactly(failure(Reason.INVALID_PACKET, 0), packet(new Unsigned(Long.MAX_VALUE)));
        assertThat(feeder.failures().getFirst()).hasMessage("Unsigned.value is 18446744073709551615, beyond the "
                + "9223372036854775807 a long holds (packet at stream offset 0)");
    }

    @Test
    void anyNonZeroByteIsTrueAsInPython() throws Exception {
        record Flag(@StructField("?") boolean on) {
        }

        assertThat(StructSerializer.of(Flag.class).deserialize(new byte[] {2}, 0, 1)).isEqualTo(new Flag(true));
        assertThat(StructSerializer.of(Flag.class).deserialize(new byte[] {0}, 0, 1)).isEqualTo(new Flag(false));
        assertThat(StructSerializer.of(Flag.class).serialize(new Flag(true))).containsExactly(1);
    }

    // ---- received errors ------------------------------------------------------------------------------------

    @Test
    void invalidUtf8InAStringIsInvalidPacketNamingTheComponent() {
        DecoderFeeder<Person> feeder = new DecoderFeeder<>(StructSerializer.of(Person.class).newDecoder(64));

        assertThat(feeder.feed(HexFormat.of().parseHex("61ff000000000000" + "00000001" + "00"
                + "6f6b000000000000" + "00000002" + "03")))
                .containsExactly(failure(Reason.INVALID_PACKET, 0), packet(new Person("ok", 2, 3)));
        assertThat(feeder.failures().getFirst())
                .hasMessage("Person.name is not valid UTF-8: \"a\\xff\" (packet at stream offset 0)")
                .hasCauseInstanceOf(CharacterCodingException.class);
    }

    @Test
    void valuesTheRecordRefusesAreInvalidPacket() {
        DecoderFeeder<Positive> feeder = new DecoderFeeder<>(StructSerializer.of(Positive.class).newDecoder(64));

        assertThat(feeder.feed(HexFormat.of().parseHex("00000000" + "00000007")))
                .containsExactly(failure(Reason.INVALID_PACKET, 0), packet(new Positive(7)));
        assertThat(feeder.failures().getFirst()).hasMessage("cannot create Positive from the received values: value "
                + "must be positive, got 0 (packet at stream offset 0)");
    }

    @Test
    void oneShotFormRefusesAnotherLength() {
        assertThatThrownBy(() -> StructSerializer.of(Person.class).deserialize(new byte[20], 2, 12))
                .isInstanceOf(DeserializeException.class)
                .hasMessage("Person structs are 13 bytes, got 12: \"" + "\\x00".repeat(12) + "\"");
    }

    // ---- declaration errors ---------------------------------------------------------------------------------

    @Test
    void componentWithoutFormatIsRefused() {
        record Bare(@StructField("i") int x, int y) {
        }

        assertThatThrownBy(() -> StructSerializer.of(Bare.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Bare.y has no @StructField format");
    }

    @Test
    void formatThatDoesNotFitTheComponentsTypeIsRefused() {
        record Wrong(@StructField("I") int age) {
        }
        record WrongText(@StructField("4s") char[] text) {
        }

        assertThatThrownBy(() -> StructSerializer.of(Wrong.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Wrong.age is int but format 'I' maps to long");
        assertThatThrownBy(() -> StructSerializer.of(WrongText.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("WrongText.text is char[] but format '4s' maps to java.lang.String or byte[]");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"x", "p", "n", "N", "P", "2h", "ii", "-1s", "4x", "", "<i", "@"})
    void unsupportedFormatsAreRefused(String format) {
        assertThatThrownBy(() -> StructFieldCodec.of("R.f", format, int.class, StandardCharsets.UTF_8, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("R.f has ")
                .hasMessageEndingWith("expected one of b B h H i I l L q Q e f d ? c, or [count]s");
    }

    @Test
    void nativeSizesAndAlignmentAreRefusedWithAHint() {
        assertThatThrownBy(() -> StructSerializer.of(Person.class, '@'))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("byte order '@' (native sizes and alignment) is not supported: its layout depends on the "
                        + "machine; use '=' for the machine's byte order with standard sizes, or '!', '>' or '<'");
        assertThatThrownBy(() -> StructSerializer.of(Person.class, 'x'))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("byte order must be one of '!', '>', '<' or '=', got 'x'");
    }

    @Test
    void recordWithoutComponentsIsRefused() {
        record Empty() {
        }

        assertThatThrownBy(() -> StructSerializer.of(Empty.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("Empty has no components to lay out");
    }

    @Test
    void toStringNamesTheRecordTheFormatAndTheCharset() {
        assertThat(StructSerializer.of(Person.class, '<'))
                .hasToString("StructSerializer[Person, <8sIB, UTF-8]");
        assertThat(StructSerializer.of(Person.class).withStripTrailingNuls(false).withCharset(StandardCharsets.US_ASCII))
                .hasToString("StructSerializer[Person, !8sIB, US-ASCII, NULs kept]");
    }

    // ---- properties -----------------------------------------------------------------------------------------

    @ParameterizedTest(name = "byte order {0}")
    @ValueSource(chars = {'!', '<', '>', '='})
    void anyRecordsSplitAnywhereDecodeToTheSameRecords(char order) {
        Random random = new Random(order);
        StructSerializer<AllFormats> all = StructSerializer.of(AllFormats.class, order);
        StructSerializer<Person> people = StructSerializer.of(Person.class, order);
        for (int round = 0; round < 20; round++) {
            List<AllFormats> records = new ArrayList<>();
            List<Person> persons = new ArrayList<>();
            for (int i = random.nextInt(30); i > 0; i--) {
                records.add(randomAllFormats(random));
                persons.add(new Person(randomName(random), random.nextLong(1L << 32), random.nextInt(256)));
            }

            assertThat(RandomStreams.feedInRandomChunks(all.newDecoder(52), RandomStreams.encodeAll(all, records),
                    random, 52)).containsExactlyElementsOf(records.stream().map(DecoderFeeder::packet).toList());
            assertThat(RandomStreams.feedInRandomChunks(people.newDecoder(13), RandomStreams.encodeAll(people,
                    persons), random, 13)).containsExactlyElementsOf(persons.stream().map(DecoderFeeder::packet)
                    .toList());
        }
    }

    @Test
    void garbageOnlyYieldsParseErrors() {
        Random random = new Random(41);
        for (int round = 0; round < 20; round++) {
            RandomStreams.feedGarbage(StructSerializer.of(Person.class).newDecoder(13), random, 2000, 13);
            RandomStreams.feedGarbage(StructSerializer.of(AllFormats.class).newDecoder(64), random, 2000, 52);
            RandomStreams.feedGarbage(StructSerializer.of(Positive.class).newDecoder(2), random, 2000, 4);
        }
    }

    private static AllFormats randomAllFormats(Random random) {
        return new AllFormats((byte) random.nextInt(), random.nextInt(256), (short) random.nextInt(),
                random.nextInt(65536), random.nextInt(), random.nextLong(1L << 32), random.nextInt(),
                random.nextLong(1L << 32), random.nextLong(), random.nextLong(Long.MAX_VALUE), random.nextFloat(),
                random.nextDouble(), random.nextBoolean(), (byte) random.nextInt());
    }

    private static String randomName(Random random) {
        String[] pieces = {"a", "Z", "\u00e9", "\u20ac", " "};
        StringBuilder name = new StringBuilder();
        while (true) {
            String piece = pieces[random.nextInt(pieces.length)];
            if (name.toString().getBytes(StandardCharsets.UTF_8).length + piece.getBytes(StandardCharsets.UTF_8).length
                    > 8 || random.nextInt(6) == 0) {
                return name.toString();
            }
            name.append(piece);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
