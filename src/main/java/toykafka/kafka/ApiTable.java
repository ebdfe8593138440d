package toykafka.kafka;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

// tag::table[]
/**
 * Every API this broker serves, by key: the one list ApiVersions answers from, so a client is told of a
 * version exactly when a class here serves it. Kafka's {@code ApiKeys} and franz-go's {@code regKey}
 * table do the same job.
 */
final class ApiTable {

    private final Map<Short, Api> byKey = new TreeMap<>();

    /**
     * The table of these APIs and ApiVersions, which every broker serves and which answers from the table, checking
     * the cluster and node a newer client means to reach against those of the listener it came in on.
     */
    ApiTable(List<Api> apis) {
        add(new Api18ApiVersions(this));
        apis.forEach(this::add);
    }

    private void add(Api api) {
        if (byKey.put(api.key(), api) != null) {
            throw new IllegalArgumentException("two handlers for api key " + api.key());
        }
    }

    /** The API with this key, or null when this broker does not serve it. */
    Api find(short key) {
        return byKey.get(key);
    }

    /** Every API served, in key order. */
    Collection<Api> all() {
        return byKey.values();
    }

    /** The keys served, with names and versions, for an error message. */
    String describeKeys() {
        return byKey.values().stream().map(api -> api.key() + " " + api.name() + " v" + api.minVersion() + "-"
                + api.maxVersion()).collect(Collectors.joining(", "));
    }
}
// end::table[]
