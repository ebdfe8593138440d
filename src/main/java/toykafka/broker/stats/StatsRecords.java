package toykafka.broker.stats;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One statistics snapshot as the records of the statistics topic, each within the topic's max.message.bytes
 * however many topics and groups there are. A snapshot that fits is one record, as it always was; a larger one
 * is split, not summarised: its topics and groups are shared out in order over several records with the same
 * {@code stat_number}, {@code start} and {@code end}, each saying which {@code part} of how many {@code parts}
 * it is. Only an entry too large for a record on its own is summarised: a group's members and partitions
 * become counts and its total lag, a topic's end offsets a partition count, and the entry says
 * {@code "summarised": true}.
 */
public final class StatsRecords {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Room for the record batch around the JSON (61 bytes of header, a record's own fields) and the part fields. */
    public static final int OVERHEAD = 256;

    private StatsRecords() {
    }

    /**
     * @param header     the snapshot's own fields (stat_number, start, end, ...), in every record
     * @param topics     each topic's counts, by name
     * @param groups     each group's members and lag, by id
     * @param maxBytes   the statistics topic's max.message.bytes
     */
    public static List<byte[]> of(Map<String, Object> header, SortedMap<String, Object> topics,
                           SortedMap<String, Map<String, Object>> groups, int maxBytes) {
        int room = maxBytes - OVERHEAD - bytes(header).length - 64; // 64: "part", "parts" and the two maps' keys
        List<Map<String, Object>> partTopics = new ArrayList<>();
        List<Map<String, Object>> partGroups = new ArrayList<>();
        partTopics.add(new TreeMap<>());
        partGroups.add(new TreeMap<>());
        int used = 0;
        List<Entry> entries = new ArrayList<>();
        topics.forEach((name, about) -> entries.add(new Entry(true, name, about)));
        groups.forEach((id, about) -> entries.add(new Entry(false, id, about)));
        for (Entry entry : entries) {
            Object about = entry.about();
            int size = bytes(entry.name()).length + bytes(about).length + 2;
            if (size > room) {
                about = entry.topic() ? summariseTopic(about) : summariseGroup(about);
                size = bytes(entry.name()).length + bytes(about).length + 2;
            }
            if (used > 0 && used + size > room) {
                partTopics.add(new TreeMap<>());
                partGroups.add(new TreeMap<>());
                used = 0;
            }
            (entry.topic() ? partTopics : partGroups).get(partTopics.size() - 1).put(entry.name(), about);
            used += size;
        }
        List<byte[]> records = new ArrayList<>();
        for (int i = 0; i < partTopics.size(); i++) {
            Map<String, Object> record = new LinkedHashMap<>(header);
            record.put("part", i + 1);
            record.put("parts", partTopics.size());
            record.put("topics", partTopics.get(i));
            record.put("groups", partGroups.get(i));
            records.add(bytes(record));
        }
        return records;
    }

    /** A topic's or a group's entry in the snapshot. */
    private record Entry(boolean topic, String name, Object about) {
    }

    @SuppressWarnings("unchecked")
    private static Object summariseTopic(Object about) {
        Map<String, Object> summary = new LinkedHashMap<>((Map<String, Object>) about);
        Object endOffsets = summary.remove("end_offsets");
        summary.put("partitions", endOffsets instanceof List<?> list ? list.size() : 0);
        summary.put("summarised", true);
        return summary;
    }

    @SuppressWarnings("unchecked")
    private static Object summariseGroup(Object about) {
        Map<String, Object> group = (Map<String, Object>) about;
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("member_count", group.get("members") instanceof List<?> members ? members.size() : 0);
        summary.put("generation", group.get("generation"));
        Map<String, Object> partitions = group.get("partitions") instanceof Map<?, ?> map
                ? (Map<String, Object>) map : Map.of();
        summary.put("partition_count", partitions.size());
        summary.put("lag", partitions.values().stream()
                .mapToLong(p -> p instanceof Map<?, ?> m && m.get("lag") instanceof Number lag ? lag.longValue() : 0).sum());
        summary.put("summarised", true);
        return summary;
    }

    private static byte[] bytes(Object value) {
        try {
            return value instanceof String text ? JSON.writeValueAsString(text).getBytes(StandardCharsets.UTF_8)
                    : JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
