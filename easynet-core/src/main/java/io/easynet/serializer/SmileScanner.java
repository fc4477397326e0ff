package io.easynet.serializer;

import io.easynet.serializer.SelfDelimitingDecoder.Malformed;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.async.ByteArrayFeeder;
import tools.jackson.databind.ObjectReader;

/**
 * Finds where a Smile document ends with Jackson's non-blocking parser: the bytes of each read are fed to it once,
 * and the document ends when the depth of its tokens is back to zero. A fresh parser starts each document, as
 * each carries its own header and its own table of shared names.
 */
final class SmileScanner implements SelfDelimitingDecoder.Scanner {

    private final ObjectReader reader;

    private @Nullable JsonParser parser;

    /** Bytes fed to the parser before the current feed; the parser's byte offsets count from its first feed. */
    private long fed;

    private int depth;

    private boolean complete;

    SmileScanner(ObjectReader reader) {
        this.reader = reader;
    }

    @Override
    public int scan(byte[] array, int from, int to) throws Malformed {
        JsonParser current = parser;
        long before = fed;
        try {
            if (current == null) {
                current = reader.createNonBlockingByteArrayParser();
                parser = current;
            }
            ((ByteArrayFeeder) current.nonBlockingInputFeeder()).feedInput(array, from, to);
            fed += to - from;
            while (true) {
                JsonToken token = current.nextToken();
                if (token == JsonToken.NOT_AVAILABLE) {
                    return to;
                }
                if (token == null) {
                    throw new Malformed("end-of-content marker where a document was expected",
                            badByte(from, to, before));
                }
                if (token.isStructStart()) {
                    depth++;
                } else if (token.isStructEnd()) {
                    depth--;
                }
                if (depth == 0) {
                    complete = true;
                    return (int) (current.currentLocation().getByteOffset() - before);
                }
            }
        } catch (JacksonException e) {
            throw new Malformed(e.getOriginalMessage(), badByte(from, to, before));
        }
    }

    /** Where the parser stopped in this feed, kept within it: the parser may stand past the bad byte. */
    private int badByte(int from, int to, long before) {
        long offset = parser == null ? from : parser.currentLocation().getByteOffset() - before - 1;
        return Math.clamp(offset, from, to - 1);
    }

    @Override
    public boolean complete() {
        return complete;
    }

    @Override
    public void reset() {
        if (parser != null) {
            parser.close();
            parser = null;
        }
        fed = 0;
        depth = 0;
        complete = false;
    }
}
