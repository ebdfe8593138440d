package toykafka.common;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

// tag::record-errors[]
/**
 * The records of one batch that a topic's rules refuse, gathered so that one refusal names every one, as
 * Kafka's {@code LogValidator} does: each record is checked, and a record is noted for the first rule it
 * breaks. The batch is refused whole either way; nothing of it is appended.
 */
public final class RecordErrors {

    /** How many of the records the refusal's message names; its record errors name them all, as Kafka's do. */
    private static final int NAMED_IN_MESSAGE = 3;

    private final List<RecordError> errors = new ArrayList<>();
    private boolean timestamps;

    /** Applies {@code rules} to the record at {@code index} of the batch, noting the record if they refuse it. */
    public void check(int index, Runnable rules) {
        try {
            rules.run();
        } catch (InvalidTimestampException refused) {
            timestamps = true;
            errors.add(new RecordError(index, refused.getMessage()));
        } catch (InvalidRecordException refused) {
            errors.add(new RecordError(index, refused.getMessage()));
        }
    }

    /**
     * Refuses the batch of {@code count} records if any record was noted, naming every one: INVALID_TIMESTAMP
     * if a timestamp was among the reasons, else INVALID_RECORD, as Kafka answers.
     */
    public void throwIfAny(int count) {
        if (errors.isEmpty()) {
            return;
        }
        String message = message(count);
        List<RecordError> all = List.copyOf(errors);
        throw timestamps ? new InvalidTimestampException(message, all) : new InvalidRecordException(message, all);
    }

    private String message(int count) {
        if (errors.size() == 1) {
            RecordError only = errors.get(0);
            return count == 1 ? only.message() : "record " + only.index() + " of a batch of " + count + ": "
                    + only.message();
        }
        String named = errors.stream().limit(NAMED_IN_MESSAGE).map(e -> "record " + e.index() + ": " + e.message())
                .collect(Collectors.joining("; "));
        return errors.size() + " records of a batch of " + count + " were refused, so none was appended"
                + (errors.size() > NAMED_IN_MESSAGE ? " (the first " + NAMED_IN_MESSAGE + " follow)" : "") + ": " + named;
    }
}
// end::record-errors[]
