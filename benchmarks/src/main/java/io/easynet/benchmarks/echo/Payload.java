package io.easynet.benchmarks.echo;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * One request every connection sends again and again: raw bytes, echoed as they are, or one JSON document on a
 * newline-terminated line, whose answer is read up to the newline. The JSON is compact with no floats, so the core,
 * which decodes and re-encodes it, answers the same bytes, as the load generator checks once per connection.
 *
 * @param name the label in reports, e.g. {@code 1 KiB raw}
 * @param lines whether the answer ends at a newline rather than after as many bytes as were sent
 * @param bytes the request
 */
public record Payload(String name, boolean lines, byte[] bytes) {

    /** Random bytes of the given size, the same for every run (fixed seed). */
    public static Payload raw(String name, int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return new Payload(name, false, bytes);
    }

    /**
     * A JSON object of exactly {@code size} bytes with its newline: an array of small records (numbers, strings,
     * booleans) then a string filling the rest, so parsing does some real work.
     */
    public static Payload jsonLine(String name, int size) {
        StringBuilder json = new StringBuilder("{\"kind\":\"order\",\"id\":123456789,\"items\":[");
        for (int i = 0; i < 12; i++) {
            json.append(i == 0 ? "" : ",").append("{\"sku\":\"item-").append(i).append("\",\"quantity\":")
                    .append(i * 7 + 1).append(",\"gift\":").append(i % 3 == 0).append('}');
        }
        json.append("],\"note\":\"");
        int fill = size - json.length() - "\"}\n".length();
        if (fill < 0) {
            throw new IllegalArgumentException("a JSON payload needs at least " + (json.length() + 3) + " bytes");
        }
        json.append("x".repeat(fill)).append("\"}\n");
        return new Payload(name, true, json.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /** The label without the words a chart axis has no room for: {@code 1 KiB raw} is {@code 1 KiB}. */
    public String shortName() {
        return name.replace(" raw", "").replace(" lines", "");
    }

    /** The request size in bytes. */
    public int size() {
        return bytes.length;
    }
}
