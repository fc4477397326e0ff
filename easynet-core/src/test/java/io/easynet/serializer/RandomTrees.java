package io.easynet.serializer;

import java.math.BigInteger;
import java.util.Random;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Random JSON-model trees for property tests, built from the node types a binary parser gives back for each value,
 * so that a decoded tree equals the one encoded: ints that fit an int are {@code IntNode}, larger ones
 * {@code LongNode}, larger still {@code BigIntegerNode}.
 */
final class RandomTrees {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static final String ALPHABET = "abcxyz _-:é€日本😀\u0000\n\"\\";

    private RandomTrees() {
    }

    static JsonNode tree(Random random) {
        return node(random, 3);
    }

    private static JsonNode node(Random random, int depth) {
        int kind = random.nextInt(depth > 0 ? 12 : 9);
        return switch (kind) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> NODES.numberNode(random.nextInt(2000) - 1000);
            case 3 -> NODES.numberNode(random.nextInt());
            case 4 -> NODES.numberNode(random.nextBoolean() ? Long.MAX_VALUE - random.nextInt(1000)
                    : (long) Integer.MIN_VALUE - 1 - random.nextInt(1_000_000));
            case 5 -> NODES.numberNode(new BigInteger(64 + random.nextInt(80), random)
                    .add(BigInteger.ONE.shiftLeft(64)).multiply(BigInteger.valueOf(random.nextBoolean() ? 1 : -1)));
            case 6 -> NODES.numberNode(random.nextDouble() * 1e6 - 5e5);
            case 7 -> NODES.stringNode(text(random, random.nextInt(4) == 0 ? 300 : 12));
            case 8 -> NODES.binaryNode(bytes(random, random.nextInt(40)));
            case 9, 10 -> {
                ObjectNode object = NODES.objectNode();
                for (int i = random.nextInt(5); i > 0; i--) {
                    object.set(text(random, 6), node(random, depth - 1));
                }
                yield object;
            }
            default -> {
                ArrayNode array = NODES.arrayNode();
                for (int i = random.nextInt(5); i > 0; i--) {
                    array.add(node(random, depth - 1));
                }
                yield array;
            }
        };
    }

    private static String text(Random random, int maxLength) {
        StringBuilder text = new StringBuilder();
        int[] codePoints = ALPHABET.codePoints().toArray();
        for (int i = random.nextInt(maxLength + 1); i > 0; i--) {
            text.appendCodePoint(codePoints[random.nextInt(codePoints.length)]);
        }
        return text.toString();
    }

    static byte[] bytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }
}
