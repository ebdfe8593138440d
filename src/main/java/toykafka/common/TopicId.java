package toykafka.common;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.UUID;

/**
 * A topic's id (Kafka's {@code Uuid}, KIP-516): 128 random bits given to a topic when it is made and kept for its
 * life, so that a topic deleted and made again under the same name is another topic to every client. Kafka's
 * newer requests name topics by id; its tools print one as 22 characters of URL-safe base64, as {@link #toString()}
 * does.
 */
public record TopicId(long mostSignificantBits, long leastSignificantBits) {

    /** Kafka's "no topic id". */
    public static final TopicId ZERO = new TopicId(0, 0);
    /** Kafka's id of its own {@code __cluster_metadata} topic, which no other topic may have. */
    private static final TopicId METADATA_TOPIC = new TopicId(0, 1);

    /**
     * A new id, as Kafka's {@code Uuid.randomUuid} draws one: never ZERO or the metadata topic's, and never one
     * whose text starts with '-', which a command line would take for an option.
     */
    public static TopicId random() {
        while (true) {
            UUID uuid = UUID.randomUUID();
            TopicId id = new TopicId(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits());
            if (!id.equals(ZERO) && !id.equals(METADATA_TOPIC) && !id.toString().startsWith("-")) {
                return id;
            }
        }
    }

    /** Reads the text {@link #toString()} writes; anything else is refused with what was expected. */
    public static TopicId parse(String text) {
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            bytes = new byte[0];
        }
        if (bytes.length != 16) {
            throw new IllegalArgumentException("'" + text + "' is not a topic id: 22 characters of URL-safe base64"
                    + " (16 bytes) were expected");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return new TopicId(buffer.getLong(), buffer.getLong());
    }

    @Override
    public String toString() {
        ByteBuffer bytes = ByteBuffer.allocate(16).putLong(mostSignificantBits).putLong(leastSignificantBits);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }
}
