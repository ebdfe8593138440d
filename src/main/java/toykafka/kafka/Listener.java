package toykafka.kafka;

/**
 * Who this broker is and where clients are told to find it: Metadata's answer names every broker by node
 * id with a host and port, and a client connects there for everything after its first request. Kafka's
 * {@code node.id}, {@code advertised.listeners} and the cluster id of {@code meta.properties}.
 *
 * @param nodeId    this broker's id, the leader of every partition
 * @param clusterId the cluster's id, or null when none is known (Metadata v2+ may say null)
 */
record Listener(int nodeId, String clusterId, String host, int port) {

    /** This broker as the answers that name brokers write one: {@code node_id}, {@code host}, then {@code port}. */
    ProtocolWriter writeNode(ProtocolWriter out) {
        return out.int32(nodeId).string(host).int32(port);
    }

    /** This broker as a trace names it: its node id and where clients find it. */
    String describeNode() {
        return "broker " + nodeId + " at " + host + ":" + port;
    }
}
