package toykafka.broker;

import toykafka.common.Errors;

/** ListOffsets' answer: an offset and the timestamp of the record there, -1 for either when none. */
public record OffsetAnswer(Errors error, String message, long offset, long timestamp) {
}
