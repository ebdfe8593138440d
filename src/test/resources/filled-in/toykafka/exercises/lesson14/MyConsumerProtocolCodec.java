package toykafka.exercises.lesson14;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import toykafka.broker.group.classic.ConsumerProtocolCodec;
import toykafka.common.InvalidRequestException;
import toykafka.common.TopicPartition;

/** A learner's answer, written from the lesson text and hints: sizes counted first, then a ByteBuffer filled. */
public class MyConsumerProtocolCodec implements ConsumerProtocolCodec {

    @Override
    public byte[] subscription(Collection<String> topics) {
        List<byte[]> names = topics.stream().sorted().map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
        int size = 2 + 4 + 4 + names.stream().mapToInt(name -> 2 + name.length).sum();
        ByteBuffer out = ByteBuffer.allocate(size).putShort((short) 0).putInt(names.size());
        names.forEach(name -> out.putShort((short) name.length).put(name));
        return out.putInt(-1).array();
    }

    @Override
    public List<String> topics(byte[] subscription) {
        ByteBuffer in = ByteBuffer.wrap(subscription);
        try {
            in.getShort();
            List<String> topics = new ArrayList<>();
            for (int count = in.getInt(); count > 0; count--) {
                topics.add(string(in));
            }
            return topics;
        } catch (RuntimeException e) {
            throw new InvalidRequestException("cannot read a subscription from these " + subscription.length + " bytes");
        }
    }

    @Override
    public byte[] assignment(Collection<TopicPartition> partitions) {
        SortedMap<String, List<Integer>> byTopic = new TreeMap<>();
        for (TopicPartition partition : partitions) {
            byTopic.computeIfAbsent(partition.topic(), t -> new ArrayList<>()).add(partition.partition());
        }
        int size = 2 + 4 + 4;
        for (var topic : byTopic.entrySet()) {
            topic.getValue().sort(null);
            size += 2 + topic.getKey().getBytes(StandardCharsets.UTF_8).length + 4 + 4 * topic.getValue().size();
        }
        ByteBuffer out = ByteBuffer.allocate(size).putShort((short) 0).putInt(byTopic.size());
        byTopic.forEach((topic, numbers) -> {
            byte[] name = topic.getBytes(StandardCharsets.UTF_8);
            out.putShort((short) name.length).put(name).putInt(numbers.size());
            numbers.forEach(out::putInt);
        });
        return out.putInt(-1).array();
    }

    @Override
    public List<TopicPartition> partitions(byte[] assignment) {
        List<TopicPartition> partitions = new ArrayList<>();
        if (assignment.length == 0) {
            return partitions;
        }
        ByteBuffer in = ByteBuffer.wrap(assignment);
        try {
            in.getShort();
            for (int topics = in.getInt(); topics > 0; topics--) {
                String topic = string(in);
                for (int count = in.getInt(); count > 0; count--) {
                    partitions.add(new TopicPartition(topic, in.getInt()));
                }
            }
        } catch (RuntimeException e) {
            throw new InvalidRequestException("cannot read an assignment from these " + assignment.length + " bytes");
        }
        partitions.sort(null);
        return partitions;
    }

    private static String string(ByteBuffer in) {
        short length = in.getShort();
        if (length < 0) {
            throw new IllegalArgumentException("negative length");
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
