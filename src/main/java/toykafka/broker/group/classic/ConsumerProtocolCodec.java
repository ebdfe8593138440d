package toykafka.broker.group.classic;

import java.util.Collection;
import java.util.List;
import toykafka.common.TopicPartition;

// tag::codec[]
/**
 * The two kinds of bytes a consumer group's members hand the coordinator, which it relays without reading them
 * (Kafka's {@code ConsumerProtocol}): a member's subscription, the metadata it joins with, and the assignment the
 * leader writes for each member. Written in version 0, read in any version, since each later version only adds
 * fields at the end. Strings are an int16 length then UTF-8; arrays an int32 count then their elements; every
 * number big-endian.
 *
 * <pre>
 * subscription: version int16 | topic count int32 | each topic: string | user data: int32 length (-1, null)
 * assignment:   version int16 | topic count int32 | each topic: string, partition count int32, each partition int32
 *               | user data: int32 length (-1, null)
 * </pre>
 */
public interface ConsumerProtocolCodec {

    /** A subscription to these topics, in version 0, the topics in name order, with null user data. */
    byte[] subscription(Collection<String> topics);

    /**
     * The topics of a subscription of any version, in the order written. Bytes too short for what they claim
     * are refused with an {@link toykafka.common.InvalidRequestException} whose message says how many bytes
     * there were.
     */
    List<String> topics(byte[] subscription);

    /** An assignment of these partitions, in version 0: topics in name order, each with its partitions in order. */
    byte[] assignment(Collection<TopicPartition> partitions);

    /**
     * The partitions of an assignment of any version, sorted by topic, then partition. No bytes at all is the
     * assignment of a member the leader gave nothing: no partitions. Bytes too short for what they claim are
     * refused as {@link #topics} refuses them.
     */
    List<TopicPartition> partitions(byte[] assignment);
}
// end::codec[]
