package io.easynet.serializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.easynet.protocol.PacketBuffer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The tree fast path against Jackson: random trees are written as Jackson writes the same values held in plain
 * Java maps and lists (which never take the fast path), and mappers that write trees differently keep Jackson.
 */
class JsonTreeWriterTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Characters of every escaping class: quotes, backslash, controls, DEL, non-ASCII, pairs and lone surrogates. */
    private static final String[] TEXT = {"a", "Z", " ", "/", "\"", "\\", "\n", "\r", "\t", "\b", "\f", "\u0000",
        "\u001a", "\u001f", "\u007f", "é", "\u00aa", "\u00ff", "\u0100", "\u2028", "日", "😀", "\ud800",
        "\udfff", "~"};

    @ParameterizedTest(name = "ensureAscii={0} allowNan={1}")
    @CsvSource({"true, true", "true, false", "false, true", "false, false"})
    void writesRandomTreesByteForByteAsJacksonWritesTheSameValues(boolean ensureAscii, boolean allowNan) {
        JsonTreeWriter writer = new JsonTreeWriter(ensureAscii, allowNan);
        JsonSerializer<Object> jackson = JsonSerializer.builder(Object.class).ensureAscii(ensureAscii)
                .allowNan(allowNan).build();
        Random random = new Random(ensureAscii ? 11 : 29);
        int written = 0;
        for (int i = 0; i < 2_000; i++) {
            Object[] twin = new Object[1];
            JsonNode tree = randomNode(random, 0, twin);
            PacketBuffer out = new PacketBuffer(0);
            if (writer.write(tree, out)) {
                written++;
                assertThat(new String(out.toByteArray(), StandardCharsets.UTF_8)).as("tree %s", tree)
                        .isEqualTo(new String(jackson.serialize(twin[0]), StandardCharsets.UTF_8));
            }
        }
        assertThat(written).as("trees the fast path wrote").isGreaterThan(ensureAscii && allowNan ? 1_500 : 300);
    }

    @Test
    void treesOfTheDefaultSerializerTakeTheFastPathAndAMapperThatSortsOrDropsNullsKeepsJackson() {
        ObjectNode tree = NODES.objectNode().put("b", 1).putNull("n").put("a", 2.5);

        JsonSerializer<JsonNode> plain = JsonSerializer.tree();
        JsonSerializer<JsonNode> sorted = JsonSerializer.of(
                JsonMapper.builder().enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED).build(), JsonNode.class);
        JsonSerializer<JsonNode> noNulls = JsonSerializer.of(
                JsonMapper.builder().disable(JsonNodeFeature.WRITE_NULL_PROPERTIES).build(), JsonNode.class);

        assertThat(plain.writesTreesDirectly()).isTrue();
        assertThat(JsonSerializer.builder(JsonNode.class).ensureAscii(false).allowNan(false).build()
                .writesTreesDirectly()).isTrue();
        assertThat(new String(plain.serialize(tree), StandardCharsets.US_ASCII))
                .isEqualTo("{\"b\":1,\"n\":null,\"a\":2.5}");
        assertThat(sorted.writesTreesDirectly()).isFalse();
        assertThat(new String(sorted.serialize(tree), StandardCharsets.US_ASCII))
                .isEqualTo("{\"a\":2.5,\"b\":1,\"n\":null}");
        assertThat(noNulls.writesTreesDirectly()).isFalse();
        assertThat(new String(noNulls.serialize(tree), StandardCharsets.US_ASCII)).isEqualTo("{\"b\":1,\"a\":2.5}");
    }

    @Test
    void nodesItDoesNotKnowAndDeepTreesAreWrittenByJackson() {
        ObjectNode tree = NODES.objectNode().put("big", new BigInteger("123456789012345678901234567890"))
                .put("decimal", new BigDecimal("1.50")).put("bytes", new byte[] {1, 2, 3});
        int levels = JsonTreeWriter.MAX_DEPTH + 5;
        ArrayNode deep = tree.putArray("deep");
        for (int i = 1; i < levels; i++) {
            deep = deep.addArray();
        }

        assertThat(new JsonTreeWriter(true, true).write(tree, new PacketBuffer(0))).isFalse();
        assertThat(new String(JsonSerializer.tree().serialize(tree), StandardCharsets.US_ASCII))
                .isEqualTo("{\"big\":123456789012345678901234567890,\"decimal\":1.50,\"bytes\":\"AQID\",\"deep\":"
                        + "[".repeat(levels) + "]".repeat(levels) + "}");
    }

    @Test
    void declinedTreeLeavesNothingBehindAndJacksonsErrorIsTheSame() {
        JsonSerializer<JsonNode> serializer = JsonSerializer.builder(JsonNode.class).allowNan(false).build();
        ObjectNode tree = NODES.objectNode().put("text", "x".repeat(5_000)).put("bad", Double.NaN);
        PacketBuffer out = new PacketBuffer(0);
        out.write('a');

        assertThatThrownBy(() -> serializer.encode(tree, out)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot write [simple type, class tools.jackson.databind.JsonNode] as JSON: NaN is not "
                        + "valid JSON and allowNan is off");
        assertThat(out.toByteArray()).containsExactly('a');
    }

    /** A random tree, and in {@code twin[0]} the same values as Java maps, lists, strings, numbers and booleans. */
    private static JsonNode randomNode(Random random, int depth, Object[] twin) {
        int kind = random.nextInt(depth > 3 ? 8 : 10);
        switch (kind) {
            case 0 -> {
                String text = randomText(random);
                twin[0] = text;
                return NODES.stringNode(text);
            }
            case 1 -> {
                long value = random.nextBoolean() ? random.nextInt() : random.nextLong();
                twin[0] = value;
                return NODES.numberNode(value);
            }
            case 2 -> {
                int value = random.nextInt(2001) - 1000;
                twin[0] = value;
                return NODES.numberNode(value);
            }
            case 3 -> {
                short value = (short) random.nextInt();
                twin[0] = value;
                return NODES.numberNode(value);
            }
            case 4 -> {
                double value = randomDouble(random);
                twin[0] = value;
                return NODES.numberNode(value);
            }
            case 5 -> {
                float value = (float) randomDouble(random);
                twin[0] = value;
                return NODES.numberNode(value);
            }
            case 6 -> {
                boolean value = random.nextBoolean();
                twin[0] = value;
                return NODES.booleanNode(value);
            }
            case 7 -> {
                twin[0] = null;
                return NODES.nullNode();
            }
            case 8 -> {
                ArrayNode array = NODES.arrayNode();
                List<@Nullable Object> list = new ArrayList<>();
                for (int i = random.nextInt(5); i > 0; i--) {
                    array.add(randomNode(random, depth + 1, twin));
                    list.add(twin[0]);
                }
                twin[0] = list;
                return array;
            }
            default -> {
                ObjectNode object = NODES.objectNode();
                Map<String, @Nullable Object> map = new LinkedHashMap<>();
                for (int i = random.nextInt(5); i > 0; i--) {
                    String name = randomText(random);
                    object.set(name, randomNode(random, depth + 1, twin));
                    map.put(name, twin[0]);
                }
                twin[0] = map;
                return object;
            }
        }
    }

    private static double randomDouble(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> Double.longBitsToDouble(random.nextLong());
            case 1 -> random.nextInt(100_000) / 100.0;
            case 2 -> random.nextInt(10) * Math.pow(10, random.nextInt(40) - 20);
            case 3 -> Double.longBitsToDouble(random.nextInt(1000));
            case 4 -> -0.0;
            default -> random.nextDouble();
        };
    }

    private static String randomText(Random random) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(random.nextInt(8) == 0 ? 3_000 : 12); i > 0; i--) {
            text.append(random.nextInt(3) == 0 ? TEXT[random.nextInt(TEXT.length)] : (char) ('a' + random.nextInt(26)));
        }
        return text.toString();
    }
}
