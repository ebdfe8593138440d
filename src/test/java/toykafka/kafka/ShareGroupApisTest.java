package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.kafka.BrokerTopics.idOf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.AlterShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.AlterShareGroupOffsetsResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.DeleteShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.DeleteShareGroupOffsetsResponseData;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsResponseData;
import org.apache.kafka.common.message.ShareAcknowledgeRequestData;
import org.apache.kafka.common.message.ShareAcknowledgeResponseData;
import org.apache.kafka.common.message.ShareFetchRequestData;
import org.apache.kafka.common.message.ShareFetchResponseData;
import org.apache.kafka.common.message.ShareGroupDescribeRequestData;
import org.apache.kafka.common.message.ShareGroupDescribeResponseData;
import org.apache.kafka.common.message.ShareGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ShareGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * Share groups' APIs (KIP-932), written and read by Kafka's own message classes, which also check our bytes:
 * ShareGroupHeartbeat from a join to a leave, ShareGroupDescribe, ShareFetch and ShareAcknowledge through a share
 * session, and the share offsets APIs (90 to 92). Then hostile acknowledgements and fetches, each answered with its
 * error on the partition or request it concerns, the connection going on. Share sessions go with the connection that
 * opened them, not with the member's place in its group. One broker; a group and topic a test.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ShareGroupApisTest {

    private static final int HEARTBEAT_VERSION = 1;
    private static final int FETCH_VERSION = 2;
    private static final int ACK_VERSION = 2;
    private static final byte ACCEPT = 1;
    private static final byte RELEASE = 2;

    /** group.share.max.share.sessions: Kafka's least, so a flood of sessions is quick to send. */
    private static final int MAX_SESSIONS = 200;

    @StartedBroker(value = FrontEnd.KAFKA, settings = @StartedBroker.Setting(name = "group.share.max.share.sessions",
            value = "" + MAX_SESSIONS))
    static RunningBroker broker;

    private static ShareGroupHeartbeatRequestData join(String group, String member, String topic) {
        return new ShareGroupHeartbeatRequestData().setGroupId(group).setMemberId(member).setMemberEpoch(0)
                .setSubscribedTopicNames(List.of(topic));
    }

    private static ShareGroupHeartbeatRequestData beat(String group, String member, int epoch) {
        return new ShareGroupHeartbeatRequestData().setGroupId(group).setMemberId(member).setMemberEpoch(epoch);
    }

    /** A topic of one partition holding {@code records} records, which the group reads from its start. */
    private static Uuid topicWithRecords(String topic, String group, int records) {
        broker.broker().createTopic(topic, 1, Map.of(), OnDuplicate.FAIL);
        broker.broker().groupConfigs().alter(group, Map.of("share.auto.offset.reset", "earliest"), Set.of(), false,
                false);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, 0, null, "record-" + i));
            }
            producer.flush();
        }
        return idOf(broker, topic);
    }

    private static ShareFetchRequestData fetch(String group, String member, int epoch, Uuid topicId) {
        ShareFetchRequestData request = new ShareFetchRequestData().setGroupId(group).setMemberId(member)
                .setShareSessionEpoch(epoch).setMaxWaitMs(0).setMinBytes(1).setMaxBytes(1 << 20).setMaxRecords(500)
                .setBatchSize(500);
        if (topicId != null) {
            request.topics().add(new ShareFetchRequestData.FetchTopic().setTopicId(topicId)
                    .setPartitions(new ShareFetchRequestData.FetchPartitionCollection(List.of(
                            new ShareFetchRequestData.FetchPartition().setPartitionIndex(0)).iterator())));
        }
        return request;
    }

    private static ShareFetchRequestData fetchAcknowledging(String group, String member, int epoch, Uuid topicId,
                                                            long first, long last, byte... types) {
        ShareFetchRequestData request = fetch(group, member, epoch, topicId);
        List<Byte> typeList = new ArrayList<>();
        for (byte type : types) {
            typeList.add(type);
        }
        request.topics().iterator().next().partitions().iterator().next().setAcknowledgementBatches(List.of(
                new ShareFetchRequestData.AcknowledgementBatch().setFirstOffset(first).setLastOffset(last)
                        .setAcknowledgeTypes(typeList)));
        return request;
    }

    private static ShareAcknowledgeRequestData acknowledge(String group, String member, int epoch, Uuid topicId,
                                                           long first, long last, byte... types) {
        return acknowledgeBatches(group, member, epoch, topicId, List.of(batch(first, last, types)));
    }

    private static ShareAcknowledgeRequestData.AcknowledgementBatch batch(long first, long last, byte... types) {
        List<Byte> typeList = new ArrayList<>();
        for (byte type : types) {
            typeList.add(type);
        }
        return new ShareAcknowledgeRequestData.AcknowledgementBatch().setFirstOffset(first).setLastOffset(last)
                .setAcknowledgeTypes(typeList);
    }

    private static ShareAcknowledgeRequestData acknowledgeBatches(
            String group, String member, int epoch, Uuid topicId,
            List<ShareAcknowledgeRequestData.AcknowledgementBatch> batches) {
        return new ShareAcknowledgeRequestData().setGroupId(group).setMemberId(member).setShareSessionEpoch(epoch)
                .setTopics(new ShareAcknowledgeRequestData.AcknowledgeTopicCollection(List.of(
                        new ShareAcknowledgeRequestData.AcknowledgeTopic().setTopicId(topicId).setPartitions(
                                new ShareAcknowledgeRequestData.AcknowledgePartitionCollection(List.of(
                                        new ShareAcknowledgeRequestData.AcknowledgePartition().setPartitionIndex(0)
                                                .setAcknowledgementBatches(batches)).iterator()))).iterator()));
    }

    /** {@code member} joins {@code group} on {@code topic} and opens its share session: what its first fetch took. */
    private static ShareFetchResponseData.PartitionData joinAndFetch(KafkaWire wire, String group, String member,
            String topic, Uuid topicId) {
        wire.send(join(group, member, topic), HEARTBEAT_VERSION);
        return fetched(wire.send(fetch(group, member, 0, topicId), FETCH_VERSION));
    }

    private static ShareFetchResponseData.PartitionData fetched(ShareFetchResponseData response) {
        assertEquals(Errors.NONE.code(), response.errorCode(), String.valueOf(response.errorMessage()));
        assertEquals(1, response.responses().size(), response.toString());
        return response.responses().iterator().next().partitions().get(0);
    }

    /** The first batch a fetch acquired: offsets {@code first} to {@code last}, delivered {@code deliveries} times. */
    private static void assertFirstAcquired(ShareFetchResponseData.PartitionData fetched, long first, long last,
            int deliveries, String why) {
        ShareFetchResponseData.AcquiredRecords batch = fetched.acquiredRecords().get(0);
        assertEquals(first, batch.firstOffset(), why);
        assertEquals(last, batch.lastOffset(), why);
        assertEquals(deliveries, batch.deliveryCount(), why);
    }

    private static ShareAcknowledgeResponseData.PartitionData acknowledged(ShareAcknowledgeResponseData response) {
        assertEquals(Errors.NONE.code(), response.errorCode(), String.valueOf(response.errorMessage()));
        return response.responses().iterator().next().partitions().get(0);
    }

    @Test
    void a_member_joins_is_assigned_by_topic_id_is_fenced_at_a_wrong_epoch_and_leaves() {
        broker.broker().createTopic("dishes", 2, Map.of(), OnDuplicate.FAIL);
        try (KafkaWire wire = new KafkaWire(broker)) {
            ShareGroupHeartbeatResponseData joined = wire.send(join("washers", "m-1", "dishes"), HEARTBEAT_VERSION);
            assertEquals(Errors.NONE.code(), joined.errorCode(), String.valueOf(joined.errorMessage()));
            assertEquals("m-1", joined.memberId());
            assertEquals(2, joined.memberEpoch());
            assertEquals(5000, joined.heartbeatIntervalMs(), "Kafka's group.share.heartbeat.interval.ms");
            assertEquals(List.of(), joined.assignment().topicPartitions(),
                    "nothing until the partitions' share state is initialized");

            ShareGroupHeartbeatResponseData assigned = wire.send(beat("washers", "m-1", 2), HEARTBEAT_VERSION);
            assertEquals(3, assigned.memberEpoch(), "the initialized partitions bump the epoch");
            assertEquals(1, assigned.assignment().topicPartitions().size());
            assertEquals(idOf(broker, "dishes"), assigned.assignment().topicPartitions().get(0).topicId());
            assertEquals(List.of(0, 1), assigned.assignment().topicPartitions().get(0).partitions());

            ShareGroupHeartbeatResponseData same = wire.send(beat("washers", "m-1", 3), HEARTBEAT_VERSION);
            assertEquals(3, same.memberEpoch());
            assertNull(same.assignment(), "nothing changed, so no assignment is sent");

            ShareGroupHeartbeatResponseData ahead = wire.send(beat("washers", "m-1", 8), HEARTBEAT_VERSION);
            assertEquals(Errors.FENCED_MEMBER_EPOCH.code(), ahead.errorCode());
            ShareGroupHeartbeatResponseData stranger = wire.send(beat("washers", "m-9", 2), HEARTBEAT_VERSION);
            assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), stranger.errorCode());
            ShareGroupHeartbeatResponseData noId = wire.send(beat("washers", "", 0), HEARTBEAT_VERSION);
            assertEquals(Errors.INVALID_REQUEST.code(), noId.errorCode());
            assertEquals("MemberId can't be empty.", noId.errorMessage());

            ShareGroupDescribeResponseData described = wire.send(new ShareGroupDescribeRequestData()
                    .setGroupIds(List.of("washers", "nobody")), 1);
            ShareGroupDescribeResponseData.DescribedGroup washers = described.groups().get(0);
            assertEquals(Errors.NONE.code(), washers.errorCode());
            assertEquals("Stable", washers.groupState());
            assertEquals("simple", washers.assignorName());
            assertEquals(1, washers.members().size());
            assertEquals("m-1", washers.members().get(0).memberId());
            assertEquals(List.of("dishes"), washers.members().get(0).subscribedTopicNames());
            assertEquals("dishes", washers.members().get(0).assignment().topicPartitions().get(0).topicName());
            assertEquals(Errors.GROUP_ID_NOT_FOUND.code(), described.groups().get(1).errorCode());

            ShareGroupHeartbeatResponseData left = wire.send(beat("washers", "m-1", -1), HEARTBEAT_VERSION);
            assertEquals(Errors.NONE.code(), left.errorCode());
            assertEquals(-1, left.memberEpoch());
            assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), wire.<ShareGroupHeartbeatResponseData>send(
                    beat("washers", "m-1", 2), HEARTBEAT_VERSION).errorCode());
        }
    }

    @Test
    void a_consumer_groups_id_is_not_found_by_the_share_apis() {
        broker.broker().createTopic("cups", 1, Map.of(), OnDuplicate.FAIL);
        try (KafkaWire wire = new KafkaWire(broker)) {
            ConsumerGroupHeartbeatResponseData consumer = wire.send(new ConsumerGroupHeartbeatRequestData()
                    .setGroupId("cup-readers").setMemberId(Uuid.randomUuid().toString()).setMemberEpoch(0)
                    .setRebalanceTimeoutMs(30_000).setSubscribedTopicNames(List.of("cups"))
                    .setTopicPartitions(List.of()), 0);
            assertEquals(Errors.NONE.code(), consumer.errorCode(), String.valueOf(consumer.errorMessage()));

            ShareGroupHeartbeatResponseData refused = wire.send(join("cup-readers", "m-1", "cups"),
                    HEARTBEAT_VERSION);
            assertEquals(Errors.GROUP_ID_NOT_FOUND.code(), refused.errorCode());
            assertEquals("Group cup-readers is not a share group.", refused.errorMessage());

            ShareGroupDescribeResponseData.DescribedGroup described = wire.<ShareGroupDescribeResponseData>send(
                    new ShareGroupDescribeRequestData().setGroupIds(List.of("cup-readers")), 1).groups().get(0);
            assertEquals(Errors.GROUP_ID_NOT_FOUND.code(), described.errorCode());
            assertEquals("Group cup-readers is not a share group.", described.errorMessage());
            DescribeShareGroupOffsetsResponseData offsets = wire.send(new DescribeShareGroupOffsetsRequestData()
                    .setGroups(List.of(new DescribeShareGroupOffsetsRequestData.DescribeShareGroupOffsetsRequestGroup()
                            .setGroupId("cup-readers"))), 1);
            assertEquals(Errors.GROUP_ID_NOT_FOUND.code(), offsets.groups().get(0).errorCode());
        }
    }

    @Test
    void a_share_session_opens_at_epoch_0_and_fetches_acknowledges_and_redelivers_by_its_epochs() {
        Uuid plates = topicWithRecords("plates", "stackers", 5);
        broker.broker().groupConfigs().alter("stackers", Map.of("share.record.lock.duration.ms", "20000"),
                Set.of(), false, false);
        try (KafkaWire wire = new KafkaWire(broker)) {
            wire.send(join("stackers", "m-1", "plates"), HEARTBEAT_VERSION);

            ShareAcknowledgeResponseData cannotOpen = wire.send(acknowledge("stackers", "m-1", 0, plates, 0, 0,
                    ACCEPT), ACK_VERSION);
            assertEquals(Errors.INVALID_SHARE_SESSION_EPOCH.code(), cannotOpen.errorCode());
            ShareFetchResponseData noSession = wire.send(fetch("stackers", "m-1", 1, plates), FETCH_VERSION);
            assertEquals(Errors.SHARE_SESSION_NOT_FOUND.code(), noSession.errorCode());
            ShareFetchResponseData ackingOpen = wire.send(fetchAcknowledging("stackers", "m-1", 0, plates, 0, 0,
                    ACCEPT), FETCH_VERSION);
            assertEquals(Errors.INVALID_REQUEST.code(), ackingOpen.errorCode());
            assertTrue(ackingOpen.errorMessage().contains("initial ShareFetch"), ackingOpen.errorMessage());

            ShareFetchResponseData opened = wire.send(fetch("stackers", "m-1", 0, plates), FETCH_VERSION);
            assertEquals(20000, opened.acquisitionLockTimeoutMs(), "the group's share.record.lock.duration.ms");
            ShareFetchResponseData.PartitionData first = fetched(opened);
            assertEquals(Errors.NONE.code(), first.errorCode());
            assertEquals(1, first.acquiredRecords().size());
            assertFirstAcquired(first, 0, 4, 1, "every record, delivered once");
            assertTrue(first.records().sizeInBytes() > 0, "the batches holding the acquired records");

            ShareFetchResponseData wrongEpoch = wire.send(fetch("stackers", "m-1", 7, null), FETCH_VERSION);
            assertEquals(Errors.INVALID_SHARE_SESSION_EPOCH.code(), wrongEpoch.errorCode());

            // 0 and 1 released, 2 to 4 accepted: 0 and 1 come back, their delivery count raised
            ShareFetchResponseData again = wire.send(fetchAcknowledging("stackers", "m-1", 1, plates, 0, 4,
                    RELEASE, RELEASE, ACCEPT, ACCEPT, ACCEPT), FETCH_VERSION);
            ShareFetchResponseData.PartitionData redelivered = fetched(again);
            assertEquals(Errors.NONE.code(), redelivered.acknowledgeErrorCode());
            assertEquals(1, redelivered.acquiredRecords().size(), redelivered.toString());
            assertFirstAcquired(redelivered, 0, 1, 2, "the released records, delivered again");

            ShareAcknowledgeResponseData accepted = wire.send(acknowledge("stackers", "m-1", 2, plates, 1, 1,
                    ACCEPT), ACK_VERSION);
            assertEquals(Errors.NONE.code(), acknowledged(accepted).errorCode());
            assertEquals(20000, accepted.acquisitionLockTimeoutMs());
            ShareAcknowledgeResponseData twice = wire.send(acknowledge("stackers", "m-1", 3, plates, 0, 1, ACCEPT),
                    ACK_VERSION);
            assertEquals(Errors.INVALID_RECORD_STATE.code(), acknowledged(twice).errorCode(),
                    "offset 1 is no longer held, so neither is accepted");
            assertEquals(Errors.NONE.code(), acknowledged(wire.send(acknowledge("stackers", "m-1", 4, plates, 0, 0,
                    ACCEPT), ACK_VERSION)).errorCode(), "offset 0 was still held");
            ShareAcknowledgeResponseData belowStart = wire.send(acknowledge("stackers", "m-1", 5, plates, 0, 1,
                    ACCEPT), ACK_VERSION);
            assertEquals(Errors.NONE.code(), acknowledged(belowStart).errorCode(),
                    "below the start offset, records are settled already and skipped, as in Kafka");

            ShareFetchResponseData nothingLeft = wire.send(fetch("stackers", "m-1", 6, null), FETCH_VERSION);
            assertEquals(List.of(), fetched(nothingLeft).acquiredRecords(), "every record is settled");
        }
    }

    @Test
    void closing_a_share_session_gives_back_what_it_held_and_its_epochs_start_again_at_0() {
        Uuid mugs = topicWithRecords("mugs", "rinsers", 3);
        try (KafkaWire wire = new KafkaWire(broker)) {
            assertEquals(1, joinAndFetch(wire, "rinsers", "m-1", "mugs", mugs).acquiredRecords().get(0)
                    .deliveryCount());

            ShareFetchResponseData closed = wire.send(fetch("rinsers", "m-1", -1, null), FETCH_VERSION);
            assertEquals(Errors.NONE.code(), closed.errorCode());
            assertEquals(0, closed.responses().size(), "a closing request is not fetched for");
            ShareFetchResponseData gone = wire.send(fetch("rinsers", "m-1", 1, null), FETCH_VERSION);
            assertEquals(Errors.SHARE_SESSION_NOT_FOUND.code(), gone.errorCode());

            ShareFetchResponseData.PartitionData again = fetched(wire.send(fetch("rinsers", "m-1", 0, mugs),
                    FETCH_VERSION));
            assertFirstAcquired(again, 0, 2, 2, "given back, then delivered again");
        }
    }

    @Test
    void sessions_never_closed_go_with_their_connections_and_what_they_held_goes_back() throws Exception {
        Uuid spoons = topicWithRecords("spoons", "polishers", 1);
        broker.broker().groupConfigs().alter("polishers", Map.of("share.record.lock.duration.ms", "60000"),
                Set.of(), false, false); // no lock runs out during the test: only the close gives the record back
        List<KafkaWire> flood = new ArrayList<>();
        try {
            ShareFetchResponseData refused = null;
            while (refused == null) {
                assertTrue(flood.size() <= MAX_SESSIONS, "no limit after " + flood.size() + " sessions");
                KafkaWire wire = new KafkaWire(broker);
                flood.add(wire);
                ShareFetchResponseData opened = wire.send(fetch("polishers", "never-joined-" + flood.size(), 0,
                        spoons), FETCH_VERSION);
                if (opened.errorCode() == Errors.SHARE_SESSION_LIMIT_REACHED.code()) {
                    refused = opened;
                } else if (flood.size() == 1) {
                    assertEquals(1, fetched(opened).acquiredRecords().get(0).deliveryCount(), "the first holds it");
                }
            }
            assertTrue(refused.errorMessage().contains("group.share.max.share.sessions"), refused.errorMessage());
        } finally {
            flood.forEach(KafkaWire::close);
        }

        try (KafkaWire consumer = new KafkaWire(broker)) {
            List<ShareFetchResponseData> answers = new ArrayList<>();
            DrillKit.awaitTrue(() -> {
                ShareFetchResponseData answer = consumer.send(fetch("polishers", "m-1", 0, spoons), FETCH_VERSION);
                answers.add(answer);
                return answer.errorCode() == Errors.NONE.code() && !fetched(answer).acquiredRecords().isEmpty();
            }, "a new consumer's session taken and the record its flood held given back");
            ShareFetchResponseData served = answers.get(answers.size() - 1);
            assertEquals(2, fetched(served).acquiredRecords().get(0).deliveryCount(),
                    "the record its closed connection's session held, delivered again");
        }
    }

    @Test
    void a_member_that_left_its_group_still_acknowledges_as_its_session_closes() {
        Uuid knives = topicWithRecords("knives", "wipers", 3);
        try (KafkaWire leaver = new KafkaWire(broker); KafkaWire stayer = new KafkaWire(broker)) {
            leaver.send(join("wipers", "m-1", "knives"), HEARTBEAT_VERSION);
            stayer.send(join("wipers", "m-2", "knives"), HEARTBEAT_VERSION);
            ShareFetchResponseData.PartitionData held = fetched(leaver.send(fetch("wipers", "m-1", 0, knives),
                    FETCH_VERSION));
            assertEquals(2, held.acquiredRecords().get(0).lastOffset());

            ShareGroupHeartbeatResponseData left = leaver.send(beat("wipers", "m-1", -1), HEARTBEAT_VERSION);
            assertEquals(Errors.NONE.code(), left.errorCode());
            assertEquals(List.of(), fetched(stayer.send(fetch("wipers", "m-2", 0, knives), FETCH_VERSION))
                    .acquiredRecords(), "leaving the group gives back nothing: the session still holds them");

            ShareAcknowledgeResponseData last = leaver.send(acknowledge("wipers", "m-1", -1, knives, 0, 2, ACCEPT),
                    ACK_VERSION);
            assertEquals(Errors.NONE.code(), acknowledged(last).errorCode(), "the closing acknowledgement is taken");
            assertEquals(List.of(), fetched(stayer.send(fetch("wipers", "m-2", 1, knives), FETCH_VERSION))
                    .acquiredRecords(), "accepted records are never delivered again");
            assertEquals(Errors.SHARE_SESSION_NOT_FOUND.code(), leaver.<ShareFetchResponseData>send(
                    fetch("wipers", "m-1", 1, null), FETCH_VERSION).errorCode(), "and the session is closed");
        }
    }

    @Test
    void a_topic_deleted_and_created_again_is_read_from_its_start_not_from_where_the_old_one_was_left() {
        Uuid old = topicWithRecords("saucers", "polishers-2", 5);
        try (KafkaWire wire = new KafkaWire(broker)) {
            assertEquals(4, joinAndFetch(wire, "polishers-2", "m-1", "saucers", old).acquiredRecords().get(0)
                    .lastOffset());
            assertEquals(Errors.NONE.code(), acknowledged(wire.send(acknowledge("polishers-2", "m-1", 1, old, 0, 4,
                    ACCEPT), ACK_VERSION)).errorCode());
            wire.send(fetch("polishers-2", "m-1", -1, null), FETCH_VERSION);

            broker.broker().deleteTopic("saucers");
            Uuid again = topicWithRecords("saucers", "polishers-2", 3); // shorter than the start offset of 5
            assertNotEquals(old, again, "another topic under the name");
            ShareFetchResponseData.PartitionData fresh = fetched(wire.send(fetch("polishers-2", "m-1", 0, again),
                    FETCH_VERSION));
            assertEquals(Errors.NONE.code(), fresh.errorCode(), String.valueOf(fresh.errorMessage()));
            assertEquals(1, fresh.acquiredRecords().size(), fresh.toString());
            assertFirstAcquired(fresh, 0, 2, 1, "never delivered before");
        }
    }

    @Test
    void a_fetch_of_no_bytes_fails_a_partition_with_records_and_acquires_none_of_them() {
        Uuid tumblers = topicWithRecords("tumblers", "rinsers-2", 3);
        try (KafkaWire wire = new KafkaWire(broker)) {
            wire.send(join("rinsers-2", "m-1", "tumblers"), HEARTBEAT_VERSION);
            ShareFetchResponseData.PartitionData none = fetched(wire.send(fetch("rinsers-2", "m-1", 0, tumblers)
                    .setMaxBytes(0), FETCH_VERSION));
            assertEquals(Errors.UNKNOWN_SERVER_ERROR.code(), none.errorCode(), "as Kafka 4.4 answers MaxBytes 0");
            assertEquals("Request max bytes must be greater than 0", none.errorMessage());
            assertEquals(List.of(), none.acquiredRecords());
            ShareFetchResponseData.PartitionData negative = fetched(wire.send(fetch("rinsers-2", "m-1", 1, tumblers)
                    .setMaxBytes(-1), FETCH_VERSION));
            assertEquals(Errors.UNKNOWN_SERVER_ERROR.code(), negative.errorCode(), "less than none fails as none");

            ShareFetchResponseData.PartitionData some = fetched(wire.send(fetch("rinsers-2", "m-1", 2, tumblers),
                    FETCH_VERSION));
            assertFirstAcquired(some, 0, 2, 1, "the failed fetch delivered nothing");
        }
    }

    @Test
    void offsets_are_described_altered_only_when_the_group_is_empty_and_deleted() {
        topicWithRecords("bowls", "driers", 4);
        try (KafkaWire wire = new KafkaWire(broker)) {
            wire.send(join("driers", "m-1", "bowls"), HEARTBEAT_VERSION);
            AlterShareGroupOffsetsRequestData alter = new AlterShareGroupOffsetsRequestData().setGroupId("driers");
            alter.topics().add(new AlterShareGroupOffsetsRequestData.AlterShareGroupOffsetsRequestTopic()
                    .setTopicName("bowls").setPartitions(List.of(
                            new AlterShareGroupOffsetsRequestData.AlterShareGroupOffsetsRequestPartition()
                                    .setPartitionIndex(0).setStartOffset(3))));
            AlterShareGroupOffsetsResponseData busy = wire.send(alter, 0);
            assertEquals(Errors.NON_EMPTY_GROUP.code(), busy.errorCode());

            wire.send(beat("driers", "m-1", -1), HEARTBEAT_VERSION);
            AlterShareGroupOffsetsResponseData altered = wire.send(alter, 0);
            assertEquals(Errors.NONE.code(), altered.errorCode(), String.valueOf(altered.errorMessage()));
            assertEquals(Errors.NONE.code(), altered.responses().iterator().next().partitions().iterator().next()
                    .errorCode());

            DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponsePartition described =
                    describeOffsets(wire);
            assertEquals(3, described.startOffset());
            assertEquals(1, described.lag(), "the log ends at 4");

            DeleteShareGroupOffsetsRequestData delete = new DeleteShareGroupOffsetsRequestData().setGroupId("driers");
            delete.topics().add(new DeleteShareGroupOffsetsRequestData.DeleteShareGroupOffsetsRequestTopic()
                    .setTopicName("bowls"));
            DeleteShareGroupOffsetsResponseData deleted = wire.send(delete, 0);
            assertEquals(Errors.NONE.code(), deleted.errorCode(), String.valueOf(deleted.errorMessage()));
            assertEquals(Errors.NONE.code(), deleted.responses().iterator().next().errorCode());
            assertEquals(idOf(broker, "bowls"), deleted.responses().iterator().next().topicId());
            assertEquals(-1, describeOffsets(wire).startOffset(), "a partition the group has not started");
        }
    }

    private static DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponsePartition describeOffsets(
            KafkaWire wire) {
        DescribeShareGroupOffsetsResponseData described = wire.send(new DescribeShareGroupOffsetsRequestData()
                .setGroups(List.of(new DescribeShareGroupOffsetsRequestData.DescribeShareGroupOffsetsRequestGroup()
                        .setGroupId("driers").setTopics(List.of(new DescribeShareGroupOffsetsRequestData
                                .DescribeShareGroupOffsetsRequestTopic().setTopicName("bowls")
                                .setPartitions(List.of(0)))))), 1);
        DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponseGroup group = described.groups().get(0);
        assertEquals(Errors.NONE.code(), group.errorCode(), String.valueOf(group.errorMessage()));
        return group.topics().get(0).partitions().get(0);
    }

    @Test
    void hostile_acknowledgements_and_fetches_are_refused_by_name_and_the_connection_goes_on() {
        Uuid forks = topicWithRecords("forks", "sorters", 3);
        try (KafkaWire wire = new KafkaWire(broker)) {
            joinAndFetch(wire, "sorters", "m-1", "forks", forks);

            ShareAcknowledgeResponseData.PartitionData typeNine = acknowledged(wire.send(
                    acknowledge("sorters", "m-1", 1, forks, 0, 2, (byte) 9), ACK_VERSION));
            assertEquals(Errors.INVALID_REQUEST.code(), typeNine.errorCode());
            assertEquals("Invalid acknowledge type 9 in the batch of offsets 0 to 2: ShareAcknowledge and ShareFetch"
                    + " v2 take 0 (gap) to 4", typeNine.errorMessage());

            ShareAcknowledgeResponseData.PartitionData backwards = acknowledged(wire.send(
                    acknowledge("sorters", "m-1", 2, forks, 2, 0, ACCEPT), ACK_VERSION));
            assertEquals(Errors.INVALID_REQUEST.code(), backwards.errorCode());
            assertEquals("An acknowledgement batch runs from a first offset of 0 or more to a last offset no less"
                    + " than it; got offsets 2 to 0", backwards.errorMessage());

            ShareAcknowledgeResponseData.PartitionData renewUnasked = acknowledged(wire.send(
                    acknowledge("sorters", "m-1", 3, forks, 0, 2, (byte) 4), ACK_VERSION));
            assertEquals(Errors.INVALID_REQUEST.code(), renewUnasked.errorCode(), "RENEW needs IsRenewAck");

            ShareAcknowledgeResponseData.PartitionData overlapping = acknowledged(wire.send(acknowledgeBatches(
                    "sorters", "m-1", 4, forks, List.of(batch(0, 2, ACCEPT), batch(1, 2, ACCEPT))), ACK_VERSION));
            assertEquals(Errors.INVALID_REQUEST.code(), overlapping.errorCode());
            assertEquals("Acknowledgement batches must come in offset order: offsets 1 to 2 starts before 2, where the"
                    + " batch ahead of it ends", overlapping.errorMessage());
            ShareAcknowledgeResponseData.PartitionData twoTypesForThree = acknowledged(wire.send(
                    acknowledge("sorters", "m-1", 5, forks, 0, 2, ACCEPT, ACCEPT), ACK_VERSION));
            assertEquals(Errors.INVALID_REQUEST.code(), twoTypesForThree.errorCode());
            assertEquals("The acknowledgement batch of offsets 0 to 2 has 1 or 3 acknowledge types, not 2",
                    twoTypesForThree.errorMessage());

            ShareFetchResponseData.PartitionData typeNineInFetch = fetched(wire.send(fetchAcknowledging("sorters",
                    "m-1", 6, forks, 0, 2, (byte) 9), 1));
            assertEquals(Errors.INVALID_REQUEST.code(), typeNineInFetch.acknowledgeErrorCode());
            assertEquals("Invalid acknowledge type 9 in the batch of offsets 0 to 2: ShareAcknowledge and ShareFetch"
                    + " v1 take 0 (gap) to 3", typeNineInFetch.acknowledgeErrorMessage());
            assertEquals(Errors.NONE.code(), typeNineInFetch.errorCode(), "the fetch itself goes on");

            ShareFetchResponseData longId = wire.send(fetch("sorters", "m".repeat(37), 0, forks), FETCH_VERSION);
            assertEquals(Errors.INVALID_REQUEST.code(), longId.errorCode());
            assertEquals("Invalid member id in the request.", longId.errorMessage(), "Kafka's: 1 to 36 characters");
            ShareFetchResponseData renewAsking = wire.send(fetch("sorters", "m-1", 7, null).setIsRenewAck(true)
                    .setMinBytes(0).setMaxWaitMs(0).setMaxBytes(0), FETCH_VERSION);
            assertEquals(Errors.INVALID_REQUEST.code(), renewAsking.errorCode());
            assertEquals("maxRecords must be set to 0, if isRenewAck is true.", renewAsking.errorMessage());

            ShareFetchResponseData negative = wire.send(fetch("sorters", "m-1", 7, null).setMaxRecords(-1),
                    FETCH_VERSION);
            assertEquals(Errors.INVALID_REQUEST.code(), negative.errorCode());
            assertEquals("MaxRecords and BatchSize must be at least 1, were -1 and 500", negative.errorMessage());

            Uuid nowhere = Uuid.randomUuid();
            ShareFetchResponseData unknown = wire.send(fetch("sorters", "m-1", 7, nowhere), FETCH_VERSION);
            assertEquals(Errors.NONE.code(), unknown.errorCode());
            ShareFetchResponseData.ShareFetchableTopicResponse missing = unknown.responses().find(nowhere);
            assertEquals(Errors.UNKNOWN_TOPIC_ID.code(), missing.partitions().get(0).errorCode());
            assertEquals("This server does not host this topic ID.", missing.partitions().get(0).errorMessage());

            ShareFetchResponseData.PartitionData renewed = fetched(wire.send(fetchAcknowledging("sorters", "m-1", 8,
                    forks, 0, 2, (byte) 4).setIsRenewAck(true).setMinBytes(0).setMaxWaitMs(0).setMaxBytes(0)
                    .setMaxRecords(0), FETCH_VERSION));
            assertEquals(Errors.NONE.code(), renewed.acknowledgeErrorCode(), String.valueOf(renewed));
            assertEquals(List.of(), renewed.acquiredRecords(), "a renewing fetch only renews");

            ShareAcknowledgeResponseData.PartitionData settled = acknowledged(wire.send(
                    acknowledge("sorters", "m-1", 9, forks, 0, 2, ACCEPT), ACK_VERSION));
            assertEquals(Errors.NONE.code(), settled.errorCode(), "the records held all along, and the session");
        }
    }
}
