package io.easynet.scheduler;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Finds the virtual threads mounted on carrier threads, from the JVM's JSON thread dump: the only public view that
 * lists virtual threads with the carrier each runs on ({@code Thread.getAllStackTraces()} lists no virtual thread,
 * and a carrier's own stack ends where its virtual thread's frames begin).
 */
final class MountedThreads {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private MountedThreads() {
    }

    /**
     * {@return the virtual threads mounted now, with their stacks}
     *
     * @throws IOException if the dump cannot be written or read
     */
    static List<CarrierHolder> now() throws IOException {
        Path directory = Files.createTempDirectory("easynet-thread-dump");
        Path dump = directory.resolve("threads.json");
        try {
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .dumpThreads(dump.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
            return parse(JSON.readTree(dump.toFile()));
        } finally {
            Files.deleteIfExists(dump);
            Files.deleteIfExists(directory);
        }
    }

    /** The mounted virtual threads of a JSON thread dump ({@code "carrier"} is a mounted thread's carrier id). */
    static List<CarrierHolder> parse(JsonNode dump) {
        Map<String, String> names = new HashMap<>();
        List<JsonNode> mounted = new ArrayList<>();
        for (JsonNode container : dump.path("threadDump").path("threadContainers")) {
            for (JsonNode thread : container.path("threads")) {
                names.put(thread.path("tid").asString(""), thread.path("name").asString(""));
                if (thread.has("carrier")) {
                    mounted.add(thread);
                }
            }
        }
        List<CarrierHolder> holders = new ArrayList<>();
        for (JsonNode thread : mounted) {
            String id = thread.path("tid").asString("");
            String name = thread.path("name").asString("");
            String carrierId = thread.path("carrier").asString("");
            String carrier = names.getOrDefault(carrierId, "");
            List<String> stack = new ArrayList<>();
            thread.path("stack").forEach(frame -> stack.add(frame.asString("")));
            holders.add(new CarrierHolder(name.isEmpty() ? "#" + id : name, Long.parseLong(id),
                    carrier.isEmpty() ? "#" + carrierId : carrier, stack));
        }
        return holders;
    }
}
