package toykafka.broker.share.partition;

import toykafka.common.EnumLookup;
import toykafka.common.Errors;

/**
 * What a member says of records it acquired (Kafka's {@code AcknowledgeType}), with the id ShareFetch and
 * ShareAcknowledge carry. GAP (id 0) is the id the protocol uses for an offset with no record behind it, which Kafka
 * archives; it is not one of the client's choices.
 */
public enum AcknowledgeType {
    GAP((byte) 0),
    /** Processed: never deliver it again. */
    ACCEPT((byte) 1),
    /** Not processed: deliver it again, to anyone, unless its delivery count has reached the limit. */
    RELEASE((byte) 2),
    /** Cannot be processed: never deliver it again. */
    REJECT((byte) 3),
    /** Still being processed: keep it, with a fresh lock. */
    RENEW((byte) 4);

    private final byte id;

    AcknowledgeType(byte id) {
        this.id = id;
    }

    public byte id() {
        return id;
    }

    /** The type an id on the wire stands for; INVALID_REQUEST for any other id, as Kafka answers. */
    public static AcknowledgeType forId(byte id) {
        return EnumLookup.byId(values(), AcknowledgeType::id, id).orElseThrow(() -> new SharePartitionException(
                Errors.INVALID_REQUEST, "Invalid acknowledge type: " + id
                        + " (expected 0 for a gap, 1 ACCEPT, 2 RELEASE, 3 REJECT or 4 RENEW)"));
    }
}
