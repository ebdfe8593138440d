package toykafka.lesson09;

import java.util.List;
import toykafka.common.CorruptRecordException;

// tag::report[]
/**
 * What opening a log found, and what it did about it.
 *
 * @param cleanShutdown   whether the last shutdown left its marker
 * @param recoveryPoint   the checkpointed offset below which everything was flushed (after a crash)
 * @param segmentsTrusted segments loaded from their indexes, without reading their records
 * @param segmentsScanned segments whose every record was read and checked
 * @param recordsScanned  good records found in the scanned segments
 * @param bytesScanned    bytes of good records in the scanned segments
 * @param problem         the torn or damaged batch at which the newest segment was cut, or null if none
 * @param bytesTruncated  bytes cut from the end of the log at that batch
 * @param nanos           how long opening took
 */
public record RecoveryReport(boolean cleanShutdown, long recoveryPoint, int segmentsTrusted, List<String> segmentsScanned,
                             long recordsScanned, long bytesScanned, CorruptRecordException problem,
                             long bytesTruncated, long nanos) {

    public boolean truncated() {
        return problem != null;
    }

    /** One deterministic paragraph: no timing, so demos and notebooks print the same every run. */
    @Override
    public String toString() {
        if (cleanShutdown) {
            return "clean shutdown: " + segmentsTrusted + " segment(s) loaded from their indexes, no record read";
        }
        String text = "unclean shutdown: recovery point " + recoveryPoint + "; " + segmentsTrusted
                + " segment(s) trusted; scanned " + segmentsScanned + ": " + recordsScanned
                + " good record(s), " + bytesScanned + " bytes";
        return problem == null ? text + "; nothing to cut" : text + "; cut " + bytesTruncated + " bytes at "
                + problem.getMessage();
    }
}
// end::report[]
