package toykafka.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.security.AccessControlEntry;
import toykafka.broker.security.AclBinding;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.AclPermissionType;
import toykafka.broker.security.PatternType;
import toykafka.broker.security.ResourcePattern;
import toykafka.broker.security.ResourceType;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;
import toykafka.testing.StartedBroker.Setting;

/**
 * An authorizer without authentication on the HTTP port: every request is {@code User:ANONYMOUS}, as on a PLAINTEXT
 * listener of the Kafka port, so the ACLs still decide; and the routes of every family ask what Kafka's APIs ask.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HttpAnonymousAuthorizationTest {

    @StartedBroker(value = FrontEnd.HTTP, settings = {
            @Setting(name = "authorizer.class.name", value = "org.apache.kafka.metadata.authorizer.StandardAuthorizer")})
    RunningBroker broker;

    private void allow(ResourceType type, String name, AclOperation operation) {
        broker.broker().access().authorizer().orElseThrow().createAcls(List.of(new AclBinding(
                        new ResourcePattern(type, name, PatternType.LITERAL),
                        new AccessControlEntry("User:ANONYMOUS", "*", operation, AclPermissionType.ALLOW))))
                .forEach(result -> assertNull(result.exception()));
    }

    private static void refused(RunningBroker.Response reply, String error, String message) {
        assertEquals(403, reply.status(), reply.text());
        assertEquals(40301, reply.json().get("error_code").asInt(), reply.text());
        assertEquals(error, reply.error(), reply.text());
        assertTrue(reply.json().get("message").asText().startsWith(message), reply.text());
    }

    @Test
    void anonymous_is_refused_what_no_acl_allows_and_served_what_one_does() {
        broker.broker().createTopic("fish", 1, Map.of(), OnDuplicate.FAIL);
        String records = RunningBroker.TOPICS + "/fish/records";
        String record = "{\"value\":{\"type\":\"STRING\",\"data\":\"cod\"}}";
        refused(broker.post(records, record), "TOPIC_AUTHORIZATION_FAILED", "Not authorized to access topics: [fish]");
        refused(broker.post("/topics/fish", "{\"records\":[{\"value\":\"Y29k\"}]}"), "TOPIC_AUTHORIZATION_FAILED",
                "Not authorized to access topics: [fish]");
        assertEquals(0, broker.get(RunningBroker.TOPICS).json().get("data").size(), "nothing it may describe");
        allow(ResourceType.TOPIC, "fish", AclOperation.WRITE);
        assertEquals(200, broker.post(records, record).status());
        assertEquals(1, broker.get(RunningBroker.TOPICS).json().get("data").size(), "WRITE implies DESCRIBE");
        refused(broker.get(RunningBroker.TOPICS + "/fish/partitions/0/records?offset=0"), "TOPIC_AUTHORIZATION_FAILED",
                "Not authorized to access topics: [fish]");
    }

    @Test
    void katars_and_kafs_routes_ask_for_the_topic_they_name_in_the_body_or_the_path() {
        broker.broker().createTopic("sample", 1, Map.of(), OnDuplicate.FAIL);
        refused(broker.post("/topic", "{\"topic\":\"other\"}"), "TOPIC_AUTHORIZATION_FAILED",
                "Not authorized to access topics: [other]");
        refused(broker.post("/publish", "{\"topic\":\"sample\",\"payload\":{\"a\":1}}"),
                "TOPIC_AUTHORIZATION_FAILED", "Not authorized to access topics: [sample]");
        refused(broker.post("/put/sample", "hello"), "TOPIC_AUTHORIZATION_FAILED",
                "Not authorized to access topics: [sample]");
        allow(ResourceType.TOPIC, "sample", AclOperation.WRITE);
        assertEquals(200, broker.post("/publish", "{\"topic\":\"sample\",\"payload\":{\"a\":1}}").status());
        refused(broker.post("/subscribe", "{\"topic\":\"sample\",\"offset\":0}"), "TOPIC_AUTHORIZATION_FAILED",
                "Not authorized to access topics: [sample]");
        refused(broker.get("/get/sample?from=1"), "TOPIC_AUTHORIZATION_FAILED", "Not authorized to access topics: [sample]");
        allow(ResourceType.TOPIC, "sample", AclOperation.READ);
        assertEquals(1, broker.post("/subscribe", "{\"topic\":\"sample\",\"offset\":0}").json().get("log")
                .get("payload").get("a").asInt());
        refused(broker.post("/put/missing-log", "hello"), "TOPIC_AUTHORIZATION_FAILED",
                "Not authorized to access topics: [missing-log]");
        allow(ResourceType.TOPIC, "missing-log", AclOperation.WRITE);
        refused(broker.post("/put/missing-log", "hello"), "TOPIC_AUTHORIZATION_FAILED",
                "Not authorized to access topics: [missing-log] (User:ANONYMOUS may not CREATE it)");
    }

    @Test
    void creating_a_topic_asks_create_and_the_broker_configs_ask_of_the_cluster() {
        String create = "{\"topic_name\":\"made\",\"partitions_count\":1}";
        refused(broker.post(RunningBroker.TOPICS, create), "TOPIC_AUTHORIZATION_FAILED",
                "Not authorized to access topics: [made]");
        refused(broker.get("/v3/clusters/toykafka/broker-configs"), "CLUSTER_AUTHORIZATION_FAILED",
                "Cluster authorization failed.");
        assertEquals(200, broker.get("/v3/clusters/toykafka").status(), "the cluster is open to all, as Metadata is");
        allow(ResourceType.CLUSTER, ResourcePattern.CLUSTER_NAME, AclOperation.CREATE);
        assertEquals(201, broker.post(RunningBroker.TOPICS, create).status());
        refused(broker.send("DELETE", RunningBroker.TOPICS + "/made", null), "TOPIC_AUTHORIZATION_FAILED",
                "Not authorized to access topics: [made]");
        refused(broker.get("/v3/clusters/toykafka/consumer-groups/g"), "GROUP_AUTHORIZATION_FAILED",
                "Not authorized to access group: g");
        assertEquals(0, broker.get("/v3/clusters/toykafka/consumer-groups").json().get("data").size());
    }
}
