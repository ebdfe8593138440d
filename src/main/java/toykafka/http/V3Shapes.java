package toykafka.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts every REST Proxy v3 reply shares: a resource's {@code kind} and {@code metadata} (its own URL as
 * {@code self}, and a {@code resource_name} in Confluent's resource-name form, {@code crn:///kafka=<cluster>/topic=<t>}),
 * a list's {@code metadata}, and the {@code related} links from one resource to the next. Links start at the
 * broker's configured listener and name the cluster by its real id.
 */
final class V3Shapes {

    private V3Shapes() {
    }

    /** {@code http://host:port/v3/clusters/<id>}: where every v3 link of this broker starts. */
    static String clusterUrl(Exchange exchange) {
        return exchange.baseUri() + "/v3/clusters/" + exchange.clusterId();
    }

    /**
     * The resource name of a cluster's part, from pairs of kind and name: {@code crn(exchange, "topic", "t",
     * "partition", "0")} is {@code crn:///kafka=<cluster>/topic=t/partition=0}.
     */
    static String crn(Exchange exchange, String... kindsAndNames) {
        if (kindsAndNames.length % 2 != 0) {
            throw new IllegalArgumentException("a resource name needs pairs of kind and name, got "
                    + kindsAndNames.length + " parts");
        }
        StringBuilder name = new StringBuilder("crn:///kafka=").append(exchange.clusterId());
        for (int i = 0; i < kindsAndNames.length; i += 2) {
            name.append('/').append(kindsAndNames[i]).append('=').append(kindsAndNames[i + 1]);
        }
        return name.toString();
    }

    /** A resource's opening: {@code kind} and {@code metadata}; the caller adds its fields after them. */
    static Map<String, Object> resource(String kind, String self, String resourceName) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("self", self);
        metadata.put("resource_name", resourceName);
        return opening(kind, metadata);
    }

    /** A list: {@code kind}, {@code metadata} with its own URL and no next page (every list is one page), {@code data}. */
    static Map<String, Object> list(String kind, String self, List<?> data) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("self", self);
        metadata.put("next", null);
        Map<String, Object> json = opening(kind, metadata);
        json.put("data", data);
        return json;
    }

    private static Map<String, Object> opening(String kind, Map<String, Object> metadata) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("kind", kind);
        json.put("metadata", metadata);
        return json;
    }

    /** A link to a related resource or list: {@code {"related": url}}. */
    static Map<String, Object> related(String url) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("related", url);
        return json;
    }
}
