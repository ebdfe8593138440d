package toykafka.kafka;

/**
 * One listener of this broker as its clients see it: its name and security protocol (Kafka's {@code listeners} and
 * {@code listener.security.protocol.map}), and where clients that came in on it are told to find the broker. Metadata,
 * FindCoordinator and DescribeCluster name every broker by node id with the host and port of the listener the
 * request came in on, as Kafka answers per listener name, and a client connects there for everything after its
 * first request. Kafka's {@code node.id}, {@code advertised.listeners} and the cluster id of {@code meta.properties}.
 *
 * @param name             the listener's name, such as PLAINTEXT or SASL_PLAINTEXT
 * @param securityProtocol its security protocol: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL
 * @param nodeId           this broker's id, the leader of every partition
 * @param clusterId        the cluster's id, or null when none is known (Metadata v2+ may say null)
 */
record Listener(String name, String securityProtocol, int nodeId, String clusterId, String host, int port) {

    /** This broker as the answers that name brokers write one: {@code node_id}, {@code host}, then {@code port}. */
    ProtocolWriter writeNode(ProtocolWriter out) {
        return out.int32(nodeId).string(host).int32(port);
    }

    /** This broker as a trace names it: its node id and where clients find it. */
    String describeNode() {
        return "broker " + nodeId + " at " + host + ":" + port;
    }
}
