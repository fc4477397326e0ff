package io.easynet.serializer;

import io.easynet.protocol.DeserializeException;
import io.easynet.protocol.PacketBuffer;
import io.easynet.protocol.PacketSerializer;
import io.easynet.protocol.StreamDecoder;
import io.easynet.protocol.StreamProtocolParseException;
import io.easynet.protocol.StreamProtocolParseException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Base64 tokens of another serializer's bytes, one per {@code \r\n}-terminated line, optionally followed by a
 * SHA-256 or HMAC-SHA256 checksum: the wire format of EasyNetwork's {@code Base64EncoderSerializer}.
 *
 * <p>A token is the base64 encoding (padded with {@code =}, no line breaks) of the inner serializer's bytes, with
 * the 32-byte checksum of those bytes appended before encoding when one is configured. Received tokens are decoded
 * strictly: a character outside the alphabet (including whitespace, and {@code +}/{@code /} in the URL-safe
 * alphabet), missing padding or anything after the padding makes the token invalid, where Python's decoder skips or
 * ignores them. EasyNetwork never sends such tokens. A token that is invalid, fails its checksum or that the inner
 * serializer refuses is a parse error for that line only; the next line is read normally.
 *
 * <p>The connection's packet limit applies to the token, separator excluded, and also to what an inner
 * {@link CompressedSerializer} may inflate.
 *
 * <pre>{@code
 * var serializer = Base64Serializer.builder(CompressedSerializer.zlib(JsonSerializer.tree()))
 *         .signedChecksum(key)   // a key from Base64Serializer.generateKey(), shared with the peer
 *         .build();
 * }</pre>
 *
 * @param <T> the packet type
 */
public final class Base64Serializer<T> extends WrappingSerializer<T> {

    /** The 64 characters a token is written with. */
    public enum Alphabet {
        /** {@code A-Z a-z 0-9 + /}, RFC 4648 section 4. */
        STANDARD(Base64.getEncoder(), Base64.getDecoder(), "+/"),
        /** {@code A-Z a-z 0-9 - _}, RFC 4648 section 5, safe in URLs and file names; EasyNetwork's default. */
        URL_SAFE(Base64.getUrlEncoder(), Base64.getUrlDecoder(), "-_");

        private final Base64.Encoder encoder;

        private final Base64.Decoder decoder;

        private final String lastTwo;

        Alphabet(Base64.Encoder encoder, Base64.Decoder decoder, String lastTwo) {
            this.encoder = encoder;
            this.decoder = decoder;
            this.lastTwo = lastTwo;
        }

        /** Whether {@code b} can appear in a token: a character of the alphabet or the padding {@code =}. */
        private boolean writes(byte b) {
            return b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '='
                    || b == lastTwo.charAt(0) || b == lastTwo.charAt(1);
        }
    }

    private static final byte[] CRLF = {'\r', '\n'};

    private static final int CHECKSUM_SIZE = 32;

    private static final int KEY_SIZE = 32;

    private static final String KEY_ERROR = "signing key must be 32 url-safe base64-encoded bytes";

    private final PacketSerializer<T> inner;

    private final Alphabet alphabet;

    private final Checksum checksum;

    private final byte @Nullable [] key;

    private final byte[] separator;

    /**
     * Tokens of {@code inner}'s bytes in the URL-safe alphabet, without checksum, ended by {@code \r\n}.
     *
     * @param inner the serializer of the packets before encoding
     */
    public Base64Serializer(PacketSerializer<T> inner) {
        this(Objects.requireNonNull(inner, "inner"), Alphabet.URL_SAFE, Checksum.NONE, null, CRLF);
    }

    private Base64Serializer(PacketSerializer<T> inner, Alphabet alphabet, Checksum checksum, byte @Nullable [] key,
            byte[] separator) {
        this.inner = inner;
        this.alphabet = alphabet;
        this.checksum = checksum;
        this.key = key;
        this.separator = separator;
    }

    /**
     * {@return a builder for tokens of {@code inner}'s bytes, starting from EasyNetwork's defaults}
     *
     * @param <T> the type of the packets
     * @param inner the serializer of the packets before encoding
     */
    public static <T> Builder<T> builder(PacketSerializer<T> inner) {
        return new Builder<>(Objects.requireNonNull(inner, "inner"));
    }

    /**
     * {@return a fresh random signing key for {@link Builder#signedChecksum(String)}: 32 bytes from {@link
     * SecureRandom}, URL-safe base64-encoded, as EasyNetwork's {@code generate_key()}} Keep it secret.
     */
    public static String generateKey() {
        byte[] key = new byte[KEY_SIZE];
        new SecureRandom().nextBytes(key);
        return Base64.getUrlEncoder().encodeToString(key);
    }

    /** The token of one packet, without the separator. */
    @Override
    public byte[] serialize(T packet) {
        byte[] data = inner.serialize(packet);
        if (checksum != Checksum.NONE) {
            byte[] digest = digest(data, 0, data.length);
            data = Arrays.copyOf(data, data.length + CHECKSUM_SIZE);
            System.arraycopy(digest, 0, data, data.length - CHECKSUM_SIZE, CHECKSUM_SIZE);
        }
        return alphabet.encoder.encode(data);
    }

    /** Writes the token of one packet and the separator; a token never contains the separator. */
    @Override
    public void encode(T packet, PacketBuffer out) {
        byte[] token = serialize(packet);
        out.write(token, 0, token.length);
        out.write(separator, 0, separator.length);
    }

    /**
     * The packet the token {@code data[offset, offset + length)} holds, after checking its checksum. An inner
     * {@link CompressedSerializer} may inflate at most 64 KiB here; in a stream the connection's limit applies.
     */
    @Override
    public T deserialize(byte[] data, int offset, int length) throws DeserializeException {
        return deserialize(data, offset, length, DEFAULT_MAX_SIZE);
    }

    @Override
    T deserialize(byte[] data, int offset, int length, int maxSize) throws DeserializeException {
        if (length % 4 != 0) {
            throw invalidToken("its length " + length + " is not a multiple of 4", data, offset, length);
        }
        byte[] bytes;
        try {
            // A copy of the token, so that the decoder's messages give positions in the token.
            bytes = alphabet.decoder.decode(Arrays.copyOfRange(data, offset, offset + length));
        } catch (IllegalArgumentException e) {
            throw invalidToken(e.getMessage(), data, offset, length);
        }
        int size = bytes.length;
        if (checksum != Checksum.NONE) {
            if (size < CHECKSUM_SIZE) {
                throw invalidToken("it holds " + size + " bytes, fewer than its 32-byte checksum", data, offset,
                        length);
            }
            size -= CHECKSUM_SIZE;
            byte[] received = Arrays.copyOfRange(bytes, size, size + CHECKSUM_SIZE);
            // constant-time, so that response times do not tell how much of a forged checksum is right
            if (!MessageDigest.isEqual(digest(bytes, 0, size), received)) {
                throw invalidToken(checksum.mismatch, data, offset, length);
            }
        }
        return deserialize(inner, bytes, 0, size, maxSize);
    }

    /**
     * A decoder that cuts tokens at the separator in place. {@code maxPacketSize} bounds the token, separator
     * excluded, and what an inner {@link CompressedSerializer} may inflate from it.
     */
    @Override
    public StreamDecoder<T> newDecoder(int maxPacketSize) {
        return new DelimitedDecoder<>(separator, maxPacketSize) {
            @Override
            T parse(byte[] array, int offset, int length, long streamOffset) throws StreamProtocolParseException {
                try {
                    return deserialize(array, offset, length, maxPacketSize);
                } catch (PacketTooLargeException e) {
                    throw new StreamProtocolParseException(Reason.PACKET_TOO_LARGE, streamOffset, e.getMessage(), e);
                } catch (DeserializeException e) {
                    Throwable cause = e.getCause() != null ? e.getCause() : e;
                    throw new StreamProtocolParseException(Reason.INVALID_PACKET, streamOffset, e.getMessage(), cause);
                }
            }
        };
    }

    private byte[] digest(byte[] data, int offset, int length) {
        try {
            if (checksum == Checksum.SHA256) {
                MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
                sha256.update(data, offset, length);
                return sha256.digest();
            }
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(Objects.requireNonNull(key), "HmacSHA256"));
            hmac.update(data, offset, length);
            return hmac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 and HMAC-SHA256 are required of every Java platform", e);
        }
    }

    private DeserializeException invalidToken(String why, byte[] data, int offset, int length) {
        return new DeserializeException("invalid " + alphabet.name().toLowerCase().replace('_', '-')
                + " base64 token: " + why + ": " + BytePreview.of(data, offset, length));
    }

    @Override
    public String toString() {
        return "Base64Serializer[" + alphabet + ", " + checksum.description + ", " + inner + "]";
    }

    private enum Checksum {
        NONE("no checksum", ""),
        SHA256("SHA-256 checksum", "its SHA-256 checksum does not match"),
        HMAC_SHA256("HMAC-SHA256 checksum", "its HMAC-SHA256 checksum does not match (wrong key or altered data)");

        private final String description;

        private final String mismatch;

        Checksum(String description, String mismatch) {
            this.description = description;
            this.mismatch = mismatch;
        }
    }

    /**
     * Settings of a {@link Base64Serializer}, by default EasyNetwork's: URL-safe alphabet, no checksum, {@code \r\n}
     * separator.
     *
     * @param <T> the packet type
     */
    public static final class Builder<T> {

        private final PacketSerializer<T> inner;

        private Alphabet alphabet = Alphabet.URL_SAFE;

        private Checksum checksum = Checksum.NONE;

        private byte @Nullable [] key;

        private byte[] separator = CRLF;

        private Builder(PacketSerializer<T> inner) {
            this.inner = inner;
        }

        /**
         * The alphabet tokens are written and read in; both ends must agree.
         *
         * @param alphabet the Base64 alphabet
         * @return this builder
         */
        public Builder<T> alphabet(Alphabet alphabet) {
            this.alphabet = Objects.requireNonNull(alphabet, "alphabet");
            return this;
        }

        /**
         * Appends the SHA-256 digest of the bytes to each token and checks it on receipt, to catch corruption
         * (EasyNetwork's {@code checksum=True}). It does not authenticate: use {@link #signedChecksum} for that.
         *
         * @return this builder
         */
        public Builder<T> checksum() {
            this.checksum = Checksum.SHA256;
            this.key = null;
            return this;
        }

        /**
         * Appends the HMAC-SHA256 of the bytes under {@code key} to each token and checks it on receipt, so that
         * only holders of the key can send accepted packets (EasyNetwork's {@code checksum=key}).
         *
         * @param key 32 bytes, URL-safe base64-encoded, as {@link Base64Serializer#generateKey()} makes them
         * @return this builder
         * @throws IllegalArgumentException if {@code key} is not that
         */
        public Builder<T> signedChecksum(String key) {
            Objects.requireNonNull(key, "key");
            byte[] decoded;
            try {
                decoded = Base64.getUrlDecoder().decode(key.getBytes(StandardCharsets.US_ASCII));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(KEY_ERROR + ": " + e.getMessage(), e);
            }
            if (decoded.length != KEY_SIZE) {
                throw new IllegalArgumentException(KEY_ERROR + ", got " + decoded.length + " bytes");
            }
            this.checksum = Checksum.HMAC_SHA256;
            this.key = decoded;
            return this;
        }

        /**
         * The bytes that end each token, {@code \r\n} by default. They must include a byte base64 never writes
         * (checked by {@link #build()}), so that no token can contain them.
         *
         * @param separator the bytes that end each packet
         * @return this builder
         */
        public Builder<T> separator(byte[] separator) {
            this.separator = Separator.checked(separator);
            return this;
        }

        /**
         * {@return the serializer}
         *
         * @throws IllegalArgumentException if every byte of the separator is one base64 writes in the alphabet
         */
        public Base64Serializer<T> build() {
            boolean foreign = false;
            for (byte b : separator) {
                foreign |= !alphabet.writes(b);
            }
            if (!foreign) {
                throw new IllegalArgumentException("separator " + BytePreview.of(separator, 0, separator.length)
                        + " is made of characters " + alphabet + " base64 writes, so a token could contain it; "
                        + "include a byte outside A-Z a-z 0-9 " + alphabet.lastTwo.charAt(0) + " "
                        + alphabet.lastTwo.charAt(1) + " =, such as \\r or \\n");
            }
            return new Base64Serializer<>(inner, alphabet, checksum, key, separator);
        }
    }
}
