package toykafka.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import toykafka.testing.RunningBroker;

/**
 * What REST Proxy v3 puts around every resource it answers with, as its conformance tests check it: the kind, the
 * metadata's self URL and resource name, a list on one page, and the URLs of related resources.
 */
interface V3Links {

    /** The broker the test talks to. */
    RunningBroker broker();

    /** The id of the broker's cluster, the one cluster v3 serves. */
    default String cluster() {
        return broker().broker().clusterId();
    }

    /** The path of the cluster, under which v3 serves everything else. */
    default String base() {
        return "/v3/clusters/" + cluster();
    }

    /** The full URL of a path on the broker, as v3's links write it. */
    default String url(String path) {
        return broker().address() + path;
    }

    default void assertMetadata(JsonNode resource, String kind, String self, String resourceName) {
        assertEquals(kind, resource.get("kind").asText());
        assertEquals(url(self), resource.get("metadata").get("self").asText());
        assertEquals(resourceName, resource.get("metadata").get("resource_name").asText());
    }

    default void assertList(JsonNode list, String kind, String self) {
        assertEquals(kind, list.get("kind").asText());
        assertEquals(url(self), list.get("metadata").get("self").asText());
        assertTrue(list.get("metadata").get("next").isNull(), "one page holds the whole list");
    }

    default void assertRelated(JsonNode resource, String field, String path) {
        assertEquals(url(path), resource.get(field).get("related").asText(), field);
    }
}
