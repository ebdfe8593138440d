package toykafka.http;

import static toykafka.broker.security.AclOperation.ALTER;
import static toykafka.broker.security.AclOperation.ALTER_CONFIGS;
import static toykafka.broker.security.AclOperation.DELETE;
import static toykafka.broker.security.AclOperation.DESCRIBE;
import static toykafka.broker.security.AclOperation.DESCRIBE_CONFIGS;
import static toykafka.broker.security.AclOperation.READ;
import static toykafka.broker.security.AclOperation.WRITE;
import static toykafka.http.RouteAccess.authenticated;
import static toykafka.http.RouteAccess.cluster;
import static toykafka.http.RouteAccess.group;
import static toykafka.http.RouteAccess.topic;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What each of the HTTP front end's own routes asks the authorizer, in one list, as Kafka's {@code KafkaApis} asks
 * for the API each route stands for: a produce WRITEs its topic, a read READs it, a describe DESCRIBEs, a delete
 * DELETEs, configs are DESCRIBE_CONFIGS and ALTER_CONFIGS, partitions added ALTER the topic, deleted records DELETE
 * on it; the cluster and its brokers are open to every principal, as Metadata and DescribeCluster are, but the
 * broker configs, the ACLs and the reassignments ask of the cluster what DescribeConfigs, DescribeAcls and
 * ListPartitionReassignments ask. A consumer instance's routes READ its group (and, in the routes, the topics it
 * subscribes to, is assigned, commits or polls). Lists show only what may be described; a create asks CREATE on the
 * cluster or on the topic its body names. A route not listed here cannot be registered.
 */
final class RouteAccessTable {

    private static final String CLUSTER = "/v3/clusters/{cluster}";
    private static final String TOPIC = CLUSTER + "/topics/{topic}";
    private static final String PARTITION = TOPIC + "/partitions/{partition}";
    private static final String BROKER_CONFIGS = CLUSTER + "/brokers/{broker}/configs";
    private static final String CLUSTER_CONFIGS = CLUSTER + "/broker-configs";
    private static final String GROUP = CLUSTER + "/consumer-groups/{group}";
    private static final String INSTANCE = "/consumers/{group}/instances/{instance}";

    private static final Map<String, RouteAccess> RULES = new LinkedHashMap<>();

    static {
        rule("GET /", authenticated());
        rule("GET /v3/clusters", authenticated());
        rule("GET " + CLUSTER, authenticated());
        rule("GET " + CLUSTER + "/brokers", authenticated());
        rule("GET " + CLUSTER + "/brokers/{broker}", authenticated());
        rule("GET /brokers", authenticated());
        rule("GET " + CLUSTER + "/acls", cluster(DESCRIBE));
        // topics
        rule("GET " + CLUSTER + "/topics", authenticated()); // filtered by DESCRIBE
        rule("POST " + CLUSTER + "/topics", authenticated()); // CREATE on the cluster or the topic named
        rule("GET " + TOPIC, topic(DESCRIBE));
        rule("PATCH " + TOPIC, topic(ALTER));
        rule("DELETE " + TOPIC, topic(DELETE));
        rule("POST " + TOPIC + "/partitions", topic(ALTER));
        rule("GET " + CLUSTER + "/topics/-/partitions/-/reassignment", cluster(DESCRIBE));
        rule("GET " + TOPIC + "/partitions/-/reassignment", cluster(DESCRIBE));
        rule("GET " + TOPIC + "/partitions", topic(DESCRIBE));
        rule("GET " + PARTITION, topic(DESCRIBE));
        rule("GET " + PARTITION + "/replicas", topic(DESCRIBE));
        rule("GET " + PARTITION + "/replicas/{broker}", topic(DESCRIBE));
        rule("GET " + PARTITION + "/reassignment", cluster(DESCRIBE));
        rule("GET " + CLUSTER + "/brokers/{broker}/partition-replicas", cluster(DESCRIBE)); // as DescribeLogDirs
        // topic configs
        rule("GET " + CLUSTER + "/topics/-/configs", authenticated()); // filtered by DESCRIBE_CONFIGS
        rule("GET " + TOPIC + "/configs", topic(DESCRIBE_CONFIGS));
        rule("GET " + TOPIC + "/configs/{name}", topic(DESCRIBE_CONFIGS));
        for (String change : new String[] {"PUT " + TOPIC + "/configs", "PATCH " + TOPIC + "/configs",
                "POST " + TOPIC + "/configs:alter", "PUT " + TOPIC + "/configs/{name}",
                "DELETE " + TOPIC + "/configs/{name}"}) {
            rule(change, topic(ALTER_CONFIGS));
        }
        // broker configs
        for (String read : new String[] {CLUSTER + "/brokers/-/configs", BROKER_CONFIGS, BROKER_CONFIGS + "/{name}",
                CLUSTER_CONFIGS, CLUSTER_CONFIGS + "/{name}"}) {
            rule("GET " + read, cluster(DESCRIBE_CONFIGS));
        }
        for (String change : new String[] {"PUT " + BROKER_CONFIGS + "/{name}", "DELETE " + BROKER_CONFIGS + "/{name}",
                "POST " + CLUSTER + "/brokers/{broker}/configs:alter", "PUT " + CLUSTER_CONFIGS + "/{name}",
                "DELETE " + CLUSTER_CONFIGS + "/{name}", "POST " + CLUSTER_CONFIGS + ":alter"}) {
            rule(change, cluster(ALTER_CONFIGS));
        }
        // records
        rule("POST " + TOPIC + "/records", topic(WRITE).creatingMissingTopic());
        rule("POST " + TOPIC + "/records:batch", topic(WRITE).creatingMissingTopic());
        rule("GET " + PARTITION + "/records", topic(READ));
        rule("POST " + PARTITION + "/records:delete", topic(DELETE));
        // REST Proxy v2
        rule("GET /topics", authenticated()); // filtered by DESCRIBE
        rule("GET /topics/{topic}", topic(DESCRIBE));
        rule("GET /topics/{topic}/partitions", topic(DESCRIBE));
        rule("GET /topics/{topic}/partitions/{partition}", topic(DESCRIBE));
        rule("GET /topics/{topic}/partitions/{partition}/offsets", topic(DESCRIBE));
        rule("GET /topics/{topic}/partitions/{partition}/records", topic(READ));
        rule("POST /topics/{topic}", topic(WRITE).creatingMissingTopic());
        rule("POST /topics/{topic}/partitions/{partition}", topic(WRITE).creatingMissingTopic());
        rule("POST /consumers/{group}", group(READ));
        for (String route : new String[] {"DELETE " + INSTANCE, "POST " + INSTANCE + "/subscription",
                "GET " + INSTANCE + "/subscription", "DELETE " + INSTANCE + "/subscription",
                "POST " + INSTANCE + "/assignments", "GET " + INSTANCE + "/assignments",
                "POST " + INSTANCE + "/positions", "POST " + INSTANCE + "/positions/beginning",
                "POST " + INSTANCE + "/positions/end", "POST " + INSTANCE + "/offsets", "GET " + INSTANCE + "/offsets",
                "GET " + INSTANCE + "/records"}) {
            rule(route, group(READ));
        }
        // consumer groups
        rule("GET " + CLUSTER + "/consumer-groups", authenticated()); // filtered by DESCRIBE
        for (String route : new String[] {GROUP, GROUP + "/consumers", GROUP + "/consumers/{consumer}",
                GROUP + "/consumers/{consumer}/assignments", GROUP + "/lags", GROUP + "/lag-summary"}) {
            rule("GET " + route, group(DESCRIBE));
        }
        rule("GET " + GROUP + "/consumers/{consumer}/assignments/{topic}/partitions/{partition}",
                group(DESCRIBE).and(topic(DESCRIBE)));
        rule("GET " + GROUP + "/lags/{topic}/partitions/{partition}", group(DESCRIBE).and(topic(DESCRIBE)));
        // Katar
        rule("GET /topic", authenticated()); // filtered by DESCRIBE
        rule("POST /topic", authenticated()); // CREATE on the cluster or the topic named
        rule("GET /topic/{topic}", topic(DESCRIBE));
        rule("PUT /topic/{topic}", topic(ALTER_CONFIGS));
        rule("PATCH /topic/{topic}", topic(ALTER_CONFIGS));
        rule("DELETE /topic/{topic}", topic(DELETE));
        rule("POST /publish", authenticated()); // WRITE on the topic named
        rule("POST /subscribe", authenticated()); // READ on the topic named
        // Kaf: a log is a topic
        rule("POST /put/{log}", topic("log", WRITE).creatingMissingTopic());
        rule("PUT /put/{log}", topic("log", WRITE).creatingMissingTopic());
        rule("GET /get/{log}", topic("log", READ));
        rule("POST /archive/{log}", topic("log", DELETE));
    }

    private RouteAccessTable() {
    }

    private static void rule(String route, RouteAccess access) {
        if (RULES.put(route, access) != null) {
            throw new IllegalStateException("the route " + route + " has two access rules");
        }
    }

    /**
     * The rule of one of the front end's own routes.
     *
     * @throws IllegalStateException for a route this list does not name: a route that asks nothing is a mistake
     */
    static RouteAccess of(String method, String pattern) {
        RouteAccess access = RULES.get(method + " " + pattern);
        if (access == null) {
            throw new IllegalStateException("the route " + method + " " + pattern + " has no access rule in "
                    + RouteAccessTable.class.getSimpleName() + ": say what it asks the authorizer");
        }
        return access;
    }
}
