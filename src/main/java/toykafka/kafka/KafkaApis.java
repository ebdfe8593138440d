package toykafka.kafka;

import java.util.List;
import toykafka.broker.Broker;

/** The APIs the Kafka front end serves besides ApiVersions, each a file of its own named by its key. */
final class KafkaApis {

    private KafkaApis() {
    }

    static List<Api> forBroker(Broker broker) {
        AuthHelper auth = new AuthHelper(broker);
        return List.of(
                new Api00Produce(broker, auth),
                new Api01Fetch(broker, auth),
                new Api02ListOffsets(broker, auth),
                new Api03Metadata(broker, auth),
                new Api08OffsetCommit(broker, auth),
                new Api09OffsetFetch(broker, auth),
                new Api10FindCoordinator(auth),
                new Api11JoinGroup(broker, auth),
                new Api12Heartbeat(broker, auth),
                new Api13LeaveGroup(broker, auth),
                new Api14SyncGroup(broker, auth),
                new Api15DescribeGroups(broker, auth),
                new Api16ListGroups(broker, auth),
                new Api17SaslHandshake(),
                new Api19CreateTopics(broker, auth),
                new Api20DeleteTopics(broker, auth),
                new Api21DeleteRecords(broker, auth),
                new Api22InitProducerId(broker, auth),
                new Api24AddPartitionsToTxn(broker, auth),
                new Api25AddOffsetsToTxn(broker, auth),
                new Api26EndTxn(broker, auth),
                new Api27WriteTxnMarkers(broker, auth),
                new Api28TxnOffsetCommit(broker, auth),
                new Api29DescribeAcls(auth),
                new Api30CreateAcls(auth),
                new Api31DeleteAcls(auth),
                new Api32DescribeConfigs(broker, auth),
                new Api33AlterConfigs(broker, auth),
                new Api35DescribeLogDirs(broker, auth),
                new Api36SaslAuthenticate(),
                new Api37CreatePartitions(broker, auth),
                new Api42DeleteGroups(broker, auth),
                new Api44IncrementalAlterConfigs(broker, auth),
                new Api47OffsetDelete(broker, auth),
                new Api48DescribeClientQuotas(broker, auth),
                new Api49AlterClientQuotas(broker, auth),
                new Api50DescribeUserScramCredentials(broker, auth),
                new Api51AlterUserScramCredentials(broker, auth),
                new Api57UpdateFeatures(broker, auth),
                new Api60DescribeCluster(auth),
                new Api61DescribeProducers(broker, auth),
                new Api65DescribeTransactions(broker, auth),
                new Api66ListTransactions(broker, auth),
                new Api68ConsumerGroupHeartbeat(broker, auth),
                new Api69ConsumerGroupDescribe(broker, auth),
                new Api74ListConfigResources(broker, auth),
                new Api75DescribeTopicPartitions(broker, auth),
                new Api76ShareGroupHeartbeat(broker, auth),
                new Api77ShareGroupDescribe(broker, auth),
                new Api78ShareFetch(broker, auth),
                new Api79ShareAcknowledge(broker, auth),
                new Api88StreamsGroupHeartbeat(broker, auth),
                new Api89StreamsGroupDescribe(broker, auth),
                new Api90DescribeShareGroupOffsets(broker, auth),
                new Api91AlterShareGroupOffsets(broker, auth),
                new Api92DeleteShareGroupOffsets(broker, auth),
                new Api93StreamsGroupTopologyDescriptionUpdate());
    }
}
