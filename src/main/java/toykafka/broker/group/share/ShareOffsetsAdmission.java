package toykafka.broker.group.share;

import toykafka.common.Errors;

/**
 * Whether a share group's start offsets may be altered or deleted now: NONE, or why not (another type's group has
 * the id; the group has members, which would race the change).
 */
public record ShareOffsetsAdmission(Errors error, String message) {

    public static final ShareOffsetsAdmission ADMITTED = new ShareOffsetsAdmission(Errors.NONE, null);
}
