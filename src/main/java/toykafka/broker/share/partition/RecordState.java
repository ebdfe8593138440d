package toykafka.broker.share.partition;

import toykafka.common.EnumLookup;

/**
 * Where one in-flight record of a share partition stands (Kafka's {@code RecordState}), with the id Kafka persists
 * for it in {@code __share_group_state}. ACKNOWLEDGED and ARCHIVED are terminal: the record is never delivered again.
 * ARCHIVING is a record set aside on its way to its group's dead-letter topic: never delivered again either, but it
 * holds the start offset until its dead letter is written and it is ARCHIVED.
 */
public enum RecordState {
    AVAILABLE((byte) 0),
    ACQUIRED((byte) 1),
    ACKNOWLEDGED((byte) 2),
    ARCHIVING((byte) 3),
    ARCHIVED((byte) 4);

    private final byte id;

    RecordState(byte id) {
        this.id = id;
    }

    /** The id written to {@code __share_group_state}. */
    public byte id() {
        return id;
    }

    /** Whether a record in this state is settled for good, so the start offset may move past it. */
    public boolean terminal() {
        return this == ACKNOWLEDGED || this == ARCHIVED;
    }

    /** The state a persisted id stands for. */
    public static RecordState forId(byte id) {
        return EnumLookup.byId(values(), RecordState::id, id).orElseThrow(() -> new IllegalArgumentException(
                "Unknown record state id " + id + ": expected 0 (AVAILABLE), 1 (ACQUIRED),"
                        + " 2 (ACKNOWLEDGED), 3 (ARCHIVING) or 4 (ARCHIVED)"));
    }
}
