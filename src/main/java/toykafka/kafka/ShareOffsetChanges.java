package toykafka.kafka;

import toykafka.broker.Broker;
import toykafka.broker.group.share.ShareOffsetsAdmission;
import toykafka.common.Errors;

/**
 * What AlterShareGroupOffsets and DeleteShareGroupOffsets both ask first: may the group's start offsets change now?
 * Kafka refuses the whole request for the group (NON_EMPTY_GROUP while it has members, GROUP_ID_NOT_FOUND for a
 * group of another type), answering with the group's error and no topics.
 */
final class ShareOffsetChanges {

    private ShareOffsetChanges() {
    }

    /**
     * Whether the change may go ahead. If not, {@code out} is made the whole answer: the group's error, its message
     * and no topics.
     *
     * @param altering whether the group is made if there is none, as altering does and deleting does not
     */
    static boolean admitted(Broker broker, Request request, ProtocolWriter out, String groupId, boolean altering) {
        ShareOffsetsAdmission admitted = broker.groupCoordinator().admitShareOffsetChange(groupId, altering);
        if (admitted.error() == Errors.NONE) {
            return true;
        }
        request.answered(() -> admitted.error() + ": " + admitted.message());
        out.int16(admitted.error().code()).nullableString(admitted.message()).arrayLength(0).taggedFields();
        return false;
    }
}
