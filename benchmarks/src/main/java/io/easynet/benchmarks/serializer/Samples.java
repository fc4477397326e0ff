package io.easynet.benchmarks.serializer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Deterministic JSON documents of about a given size, shaped like typical service messages. */
final class Samples {

    private Samples() {
    }

    /** A JSON object whose compact form is close to {@code targetBytes}. */
    static JsonNode document(int targetBytes) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode root = nodes.objectNode().put("id", 123456789).put("kind", "order.created").put("ok", true);
        ArrayNode items = root.putArray("items");
        int index = 0;
        while (root.toString().length() < targetBytes - 60) {
            items.addObject().put("sku", "SKU-" + index).put("name", "Item number " + index)
                    .put("price", 10.25 + index).put("quantity", index % 7);
            index++;
        }
        return root;
    }
}
