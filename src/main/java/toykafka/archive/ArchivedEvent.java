package toykafka.archive;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;

/**
 * One event that left a log, as one row of the CSV archive. Every lesson that moves events out of
 * a log (retention, archiving, compaction, segment deletion) writes this same row, so one analysis
 * reads them all.
 *
 * @param topic      the topic (or log) the event was in
 * @param partition  its partition; 0 before lesson 4 brings partitions
 * @param offset     its offset, which is never reused
 * @param timestamp  when the log took it in
 * @param key        its key, or null if it had none
 * @param value      its value as text, or null for a tombstone
 * @param reason     why it left
 * @param archivedAt when it left
 */
// tag::schema[]
@JsonPropertyOrder({"topic", "partition", "offset", "timestamp", "key", "value", "reason", "archived_at"})
public record ArchivedEvent(
        String topic,
        int partition,
        long offset,
        Instant timestamp,
        String key,
        String value,
        ArchiveReason reason,
        @JsonProperty("archived_at") Instant archivedAt) {
}
// end::schema[]
