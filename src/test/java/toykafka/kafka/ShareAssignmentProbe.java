package toykafka.kafka;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.ShareGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ShareGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * A share group's first member, heartbeating by hand with Kafka's own message classes so that each answer is seen as
 * the coordinator gave it: Kafka 4.4 hands out a share partition only once its share state is initialized, so the
 * first heartbeat of a new group is answered with no partitions and a later one with them, at the next group epoch.
 * KafkaShareConsumer hides this; librdkafka's share consumer test 0172 depends on it.
 */
final class ShareAssignmentProbe {

    private static final String TOPIC = "share-first";
    private static final String GROUP = "share-first-heartbeats";
    private static final int PARTITIONS = 2;
    private static final short HEARTBEAT_VERSION = 1;
    private static final short FIND_COORDINATOR_VERSION = 4;

    private ShareAssignmentProbe() {
    }

    static void run(ProbeSession session) throws Exception {
        session.createTopic(TOPIC, PARTITIONS, Map.of());
        try (KafkaWire coordinator = coordinatorOf(session.bootstrap())) {
            String memberId = Uuid.randomUuid().toString();
            ShareGroupHeartbeatResponseData first = coordinator.send(new ShareGroupHeartbeatRequestData()
                    .setGroupId(GROUP).setMemberId(memberId).setMemberEpoch(0)
                    .setSubscribedTopicNames(List.of(TOPIC)), HEARTBEAT_VERSION);
            session.write("share heartbeats: the first is answered " + Errors.forCode(first.errorCode()) + " at epoch "
                    + first.memberEpoch() + " with partitions " + partitions(first));

            ShareGroupHeartbeatResponseData latest = first;
            long deadline = System.nanoTime() + ProbeSession.WAIT.toNanos();
            while (partitions(latest).size() < PARTITIONS && latest.errorCode() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(100); // the member's own pace: the coordinator initializes the state meanwhile
                latest = coordinator.send(new ShareGroupHeartbeatRequestData().setGroupId(GROUP).setMemberId(memberId)
                        .setMemberEpoch(latest.memberEpoch()), HEARTBEAT_VERSION);
            }
            session.write("share heartbeats: then one is answered " + Errors.forCode(latest.errorCode()) + " at epoch "
                    + latest.memberEpoch() + " with partitions " + partitions(latest));

            ShareGroupHeartbeatResponseData left = coordinator.send(new ShareGroupHeartbeatRequestData()
                    .setGroupId(GROUP).setMemberId(memberId).setMemberEpoch(-1), HEARTBEAT_VERSION);
            session.write("share heartbeats: leaving is answered " + Errors.forCode(left.errorCode()) + " at epoch "
                    + left.memberEpoch());
        }
    }

    /** The partitions an answer hands out, in order; none when it hands out nothing new. */
    private static TreeSet<Integer> partitions(ShareGroupHeartbeatResponseData answer) {
        TreeSet<Integer> partitions = new TreeSet<>();
        if (answer.assignment() != null) {
            answer.assignment().topicPartitions().forEach(topic -> partitions.addAll(topic.partitions()));
        }
        return partitions;
    }

    /** A connection to the group's coordinator, found as a client finds it. */
    private static KafkaWire coordinatorOf(String bootstrap) {
        String first = bootstrap.split(",")[0];
        String host = first.substring(0, first.lastIndexOf(':'));
        int port = Integer.parseInt(first.substring(first.lastIndexOf(':') + 1));
        try (KafkaWire any = new KafkaWire(host, port)) {
            long deadline = System.nanoTime() + ProbeSession.WAIT.toNanos();
            while (true) {
                FindCoordinatorResponseData answer = any.send(new FindCoordinatorRequestData().setKeyType((byte) 0)
                        .setCoordinatorKeys(List.of(GROUP)), FIND_COORDINATOR_VERSION);
                FindCoordinatorResponseData.Coordinator found = answer.coordinators().get(0);
                if (found.errorCode() == 0) {
                    return new KafkaWire(found.host(), found.port());
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no coordinator for " + GROUP + ": "
                            + Errors.forCode(found.errorCode()));
                }
                Thread.sleep(200); // the offsets topic is still being made
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted finding the coordinator of " + GROUP, e);
        }
    }
}
