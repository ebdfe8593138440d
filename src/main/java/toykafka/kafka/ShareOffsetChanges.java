package toykafka.kafka;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import toykafka.broker.Broker;
import toykafka.broker.group.share.ShareOffsetsAdmission;
import toykafka.common.Errors;

/**
 * The answer AlterShareGroupOffsets and DeleteShareGroupOffsets share: may the group's start offsets change now?
 * Kafka refuses the whole request for the group (NON_EMPTY_GROUP while it has members, GROUP_ID_NOT_FOUND for a
 * group of another type), answering with the group's error and no topics; else each API writes its topics.
 */
final class ShareOffsetChanges {

    /** What was asked: the group, and each topic as its API reads it. */
    record Asked<T>(String groupId, List<T> topics) {
    }

    private ShareOffsetChanges() {
    }

    /**
     * Reads the request both share the shape of: the group id, then its topics, each a name and what {@code topic}
     * reads after it; {@code name} is the request's name in Kafka's schema ({@code AlterShareGroupOffsetsRequest}).
     */
    static <T> Asked<T> read(Request request, String name, BiFunction<String, ProtocolReader, T> topic) {
        ProtocolReader in = request.body();
        String groupId = in.string("group_id");
        List<T> topics = in.array("topics", each -> {
            T read = topic.apply(each.string("topic_name"), each);
            each.taggedFields(name + "Topic");
            return read;
        });
        in.taggedFields(name);
        request.asked(() -> "share group " + groupId + ": " + topics);
        return new Asked<>(groupId, topics);
    }

    /** The answer to a principal who may not change the group's offsets, as Kafka's handlers give it. */
    static CompletableFuture<ProtocolWriter> groupRefused(Request request) {
        request.answered(() -> Errors.GROUP_AUTHORIZATION_FAILED.toString());
        return CompletableFuture.completedFuture(Api.responseWithThrottleTime(request)
                .int16(Errors.GROUP_AUTHORIZATION_FAILED.code()).nullableString("Group authorization failed.")
                .arrayLength(0).taggedFields());
    }

    /**
     * The whole answer: if the change may not go ahead, the group's error, its message and no topics; else NONE,
     * no message, and each topic as {@code topics} changes and writes it.
     *
     * @param altering whether the group is made if there is none, as altering does and deleting does not
     */
    static CompletableFuture<ProtocolWriter> answer(Broker broker, Request request, String groupId, boolean altering,
                                                    Consumer<ProtocolWriter> topics) {
        ProtocolWriter out = Api.responseWithThrottleTime(request);
        ShareOffsetsAdmission admitted = broker.groupCoordinator().admitShareOffsetChange(groupId, altering);
        if (admitted.error() == Errors.NONE) {
            out.int16(Errors.NONE.code()).nullableString(null);
            topics.accept(out);
            request.answered(altering ? "altered" : "deleted");
        } else {
            request.answered(() -> admitted.error() + ": " + admitted.message());
            out.int16(admitted.error().code()).nullableString(admitted.message()).arrayLength(0);
        }
        return CompletableFuture.completedFuture(out.taggedFields());
    }
}
