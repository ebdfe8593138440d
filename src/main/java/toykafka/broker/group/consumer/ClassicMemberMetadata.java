package toykafka.broker.group.consumer;

import java.util.List;
import toykafka.broker.group.classic.JoinGroupRequest;

/**
 * What a consumer group keeps of a member that speaks the classic protocol (JoinGroup, SyncGroup, Heartbeat) rather
 * than ConsumerGroupHeartbeat: the session timeout its JoinGroup sent, which bounds its silence in place of the
 * group's, and the protocols (assignors) it supports, with their metadata, in its order of preference (Kafka's
 * {@code ConsumerGroupMemberMetadataValue.ClassicMemberMetadata}). The first protocol is the one its JoinGroup and
 * SyncGroup are answered with, and its metadata holds the subscription the group reads.
 */
record ClassicMemberMetadata(int sessionTimeoutMs, List<JoinGroupRequest.Protocol> supportedProtocols) {

    ClassicMemberMetadata {
        supportedProtocols = List.copyOf(supportedProtocols); // none only in a record another writer made
    }

    /** The protocol the member was answered with: its first. */
    String protocolName() {
        return supportedProtocols.isEmpty() ? "" : supportedProtocols.get(0).name();
    }

    /** The consumer protocol version of the member's subscription, which its assignment is written in. */
    short subscriptionVersion() {
        byte[] metadata = supportedProtocols.isEmpty() ? new byte[0] : supportedProtocols.get(0).metadata();
        return metadata.length < 2 ? 0 : (short) (((metadata[0] & 0xFF) << 8) | (metadata[1] & 0xFF));
    }

    /** Whether it keeps the same as {@code other}: protocols compared by name and bytes. */
    boolean sameAs(ClassicMemberMetadata other) {
        if (other == null || sessionTimeoutMs != other.sessionTimeoutMs
                || supportedProtocols.size() != other.supportedProtocols.size()) {
            return false;
        }
        for (int i = 0; i < supportedProtocols.size(); i++) {
            JoinGroupRequest.Protocol a = supportedProtocols.get(i);
            JoinGroupRequest.Protocol b = other.supportedProtocols.get(i);
            if (!a.name().equals(b.name()) || !java.util.Arrays.equals(a.metadata(), b.metadata())) {
                return false;
            }
        }
        return true;
    }
}
