package toykafka.exercises.lesson15;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import toykafka.broker.AbortedTransaction;
import toykafka.common.ControlRecord;
import toykafka.common.RecordBatch;
import toykafka.lesson15.CommittedFilter;

/** A learner's answer, written from the lesson's text: the aborted list sorted once, walked with the batches. */
public class MyCommittedFilter implements CommittedFilter {

    @Override
    public List<RecordBatch> committed(List<RecordBatch> fetched, List<AbortedTransaction> aborted) {
        List<AbortedTransaction> byFirstOffset = new ArrayList<>(aborted);
        byFirstOffset.sort((a, b) -> Long.compare(a.firstOffset(), b.firstOffset()));
        int begun = 0;
        Set<Long> insideAnAbort = new HashSet<>();
        List<RecordBatch> kept = new ArrayList<>();
        for (RecordBatch batch : fetched) {
            while (begun < byFirstOffset.size() && byFirstOffset.get(begun).firstOffset() <= batch.lastOffset()) {
                insideAnAbort.add(byFirstOffset.get(begun++).producerId());
            }
            if (batch.isControl()) {
                if (!ControlRecord.of(batch).commit()) {
                    insideAnAbort.remove(batch.producerId());
                }
            } else if (!(batch.isTransactional() && insideAnAbort.contains(batch.producerId()))) {
                kept.add(batch);
            }
        }
        return kept;
    }
}
