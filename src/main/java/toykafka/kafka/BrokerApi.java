package toykafka.kafka;

import java.util.List;
import java.util.function.Function;
import toykafka.broker.Broker;
import toykafka.common.Errors;

/** An API answered by asking the broker: its partitions, its coordinators, its topics and configs. */
abstract class BrokerApi extends Api {

    protected final Broker broker;

    protected BrokerApi(Broker broker, int key, String name, int minVersion, int maxVersion, int firstFlexibleVersion) {
        super(key, name, minVersion, maxVersion, firstFlexibleVersion);
        this.broker = broker;
    }

    /**
     * Asks the broker about each of {@code ids} in turn ({@code ask}), as the describe APIs ask about each group
     * named, and traces the ids asked and each answer as {@code said} puts it.
     */
    static <A> List<A> askEach(Request request, List<String> ids, Function<String, A> ask, Function<A, String> said) {
        request.asked(() -> Summaries.list(ids));
        List<A> answers = ids.stream().map(ask).toList();
        request.answered(() -> Summaries.list(answers.stream().map(said).toList()));
        return answers;
    }

    /** A group of Kafka 4's protocols as its describe answers it, in a trace's words. */
    static String describedGroup(String groupId, Errors error, String state, int groupEpoch, int members) {
        return groupId + " " + error + " " + state + " at epoch " + groupEpoch + " with " + members + " members";
    }
}
