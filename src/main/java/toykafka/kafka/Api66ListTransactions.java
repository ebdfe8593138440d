package toykafka.kafka;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import toykafka.broker.Broker;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourceType;
import toykafka.broker.txn.Transaction;
import toykafka.broker.txn.TransactionState;
import toykafka.common.Errors;

/**
 * ListTransactions (key 66), versions 0–2: {@code Admin.listTransactions}, what {@code kafka-transactions.sh
 * list} and {@code find-hanging} ask every broker for. The transactional ids this broker's transaction
 * coordinator knows, each with its producer id and state, filtered as Kafka's {@code TransactionStateManager}
 * filters them: by state names (a name Kafka does not have is listed back as unknown, as Kafka answers), by
 * producer ids; from v1 by duration, an id passing when its open or last transaction began more than that many ms
 * ago (in any state, as in Kafka, and an id that has had none since its producer last began always passes); and from
 * v2 by a regular expression its whole id must match (RE2/J, as Kafka's; null or empty lists every id). An
 * expression RE2/J cannot compile is INVALID_REGULAR_EXPRESSION with nothing listed, Kafka's answer to the exception
 * its coordinator throws. Every version is flexible.
 * With an authorizer, only the ids the principal may DESCRIBE are listed, as in Kafka.
 */
final class Api66ListTransactions extends BrokerApi {

    private final AuthHelper auth;

    Api66ListTransactions(Broker broker, AuthHelper auth) {
        super(broker, 66, "ListTransactions", 0, 2, 0);
        this.auth = auth;
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        short version = request.version();
        ProtocolReader in = request.body();
        List<String> states = in.array("state_filters", state -> state.string("state"));
        List<Long> producerIds = in.array("producer_id_filters", id -> id.int64("producer_id"));
        long durationMs = version >= 1 ? in.int64("duration_filter") : -1;
        String idPattern = version >= 2 ? in.nullableString("transactional_id_pattern") : null;
        in.taggedFields("ListTransactionsRequest");
        request.asked("transactions" + (states.isEmpty() ? "" : " in " + states) + (producerIds.isEmpty() ? ""
                : " of producers " + producerIds) + (durationMs >= 0 ? " begun over " + durationMs + " ms ago" : "")
                + (idPattern == null || idPattern.isEmpty() ? "" : " with ids matching `" + idPattern + "`"));

        Predicate<String> idMatches;
        try {
            idMatches = idFilter(idPattern);
        } catch (PatternSyntaxException | StackOverflowError e) {
            String why = e instanceof PatternSyntaxException syntax ? syntax.getMessage() : "too deeply nested";
            request.answered("INVALID_REGULAR_EXPRESSION: `" + idPattern + "` is not a valid regular expression: " + why);
            return CompletableFuture.completedFuture(answer(request, Errors.INVALID_REGULAR_EXPRESSION, List.of(),
                    List.of()));
        }
        Set<String> known = new TreeSet<>();
        for (TransactionState state : TransactionState.values()) {
            known.add(state.kafkaName());
        }
        List<String> unknown = states.stream().filter(state -> !known.contains(state)).toList();
        long now = broker.clock().millis();
        List<Transaction> listed = broker.transactionCoordinator().transactions().stream()
                .filter(t -> t.state() != TransactionState.DEAD)
                .filter(t -> producerIds.isEmpty() || producerIds.contains(t.producerId()))
                .filter(t -> states.isEmpty() || states.contains(t.state().kafkaName()))
                .filter(t -> durationMs < 0 || now - t.startMs() > durationMs)
                .filter(t -> idMatches.test(t.transactionalId()))
                .filter(t -> auth.authorize(request, AclOperation.DESCRIBE, ResourceType.TRANSACTIONAL_ID,
                        t.transactionalId()))
                .toList();
        request.answered(listed.size() + " transactional id(s)");
        return CompletableFuture.completedFuture(answer(request, Errors.NONE, unknown, listed));
    }

    /** Whether an id passes v2's expression: every id when there is none, else one RE2/J matches whole. */
    private static Predicate<String> idFilter(String idPattern) {
        if (idPattern == null || idPattern.isEmpty()) {
            return id -> true;
        }
        Pattern pattern = Pattern.compile(idPattern);
        return id -> {
            try {
                return pattern.matches(id);
            } catch (StackOverflowError tooDeep) {
                return false; // RE2/J recursed too deep on this id: it is left out, the rest still listed
            }
        };
    }

    private static ProtocolWriter answer(Request request, Errors error, List<String> unknownStates,
                                         List<Transaction> listed) {
        ProtocolWriter out = responseWithThrottleTime(request).int16(error.code());
        out.array(unknownStates, (stateOut, state) -> stateOut.string(state));
        out.array(listed, (transactionOut, transaction) -> transactionOut.string(transaction.transactionalId())
                .int64(transaction.producerId()).string(transaction.state().kafkaName()).taggedFields());
        return out.taggedFields();
    }
}
