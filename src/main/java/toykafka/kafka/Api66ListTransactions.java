package toykafka.kafka;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.txn.Transaction;
import toykafka.broker.txn.TransactionState;
import toykafka.common.Errors;

/**
 * ListTransactions (key 66), versions 0–1: {@code Admin.listTransactions}, what {@code kafka-transactions.sh
 * list} and {@code find-hanging} ask every broker for. The transactional ids this broker's transaction
 * coordinator knows, each with its producer id and state, filtered by state names (a name Kafka does not have
 * is listed back as unknown, as Kafka answers), by producer ids and, from v1, by how long the transaction has
 * been open (only open ones pass a duration filter). Every version is flexible. Version 2's regular expression
 * on the id is not served. Throttle time is always 0.
 */
final class Api66ListTransactions extends BrokerApi {

    Api66ListTransactions(Broker broker) {
        super(broker, 66, "ListTransactions", 0, 1, 0);
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        short version = request.version();
        ProtocolReader in = request.body();
        List<String> states = in.array("state_filters", state -> state.string("state"));
        List<Long> producerIds = in.array("producer_id_filters", id -> id.int64("producer_id"));
        long durationMs = version >= 1 ? in.int64("duration_filter") : -1;
        in.taggedFields("ListTransactionsRequest");
        request.asked("transactions" + (states.isEmpty() ? "" : " in " + states) + (producerIds.isEmpty() ? ""
                : " of producers " + producerIds) + (durationMs >= 0 ? " open over " + durationMs + " ms" : ""));

        Set<String> known = new TreeSet<>();
        for (TransactionState state : TransactionState.values()) {
            known.add(state.kafkaName());
        }
        List<String> unknown = states.stream().filter(state -> !known.contains(state)).toList();
        long now = broker.clock().millis();
        List<Transaction> listed = broker.transactionCoordinator().transactions().stream()
                .filter(t -> states.isEmpty() || states.contains(t.state().kafkaName()))
                .filter(t -> producerIds.isEmpty() || producerIds.contains(t.producerId()))
                .filter(t -> durationMs < 0 || (t.state() == TransactionState.ONGOING && now - t.startMs() > durationMs))
                .toList();
        request.answered(listed.size() + " transactional id(s)");
        ProtocolWriter out = responseWithThrottleTime(request).int16(Errors.NONE.code());
        out.array(unknown, (stateOut, state) -> stateOut.string(state));
        out.array(listed, (transactionOut, transaction) -> transactionOut.string(transaction.transactionalId())
                .int64(transaction.producerId()).string(transaction.state().kafkaName()).taggedFields());
        return CompletableFuture.completedFuture(out.taggedFields());
    }
}
