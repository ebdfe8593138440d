package toykafka.broker;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.stream.Stream;
import toykafka.broker.config.BrokerConfig;
import toykafka.common.InvalidPartitionsException;
import toykafka.storage.OpenFiles;

/**
 * How many file descriptors the broker may still spend on partitions: the process limit ({@code ulimit -n}),
 * less what is open now, less a reserve for connections ({@code max.connections} on each of the two
 * listeners, and a margin for the files the logs open a moment: checkpoints, rolls, the cleaner's segment),
 * less the room the bound on segment files ({@code log.open.files.max}) may still fill.
 * A create or a partition increase that would need more is refused before anything is made, naming the
 * numbers, instead of failing part-way with "Too many open files". Kafka has no such check: it lets the
 * operator raise the limit (its docs ask for 100,000 or more).
 */
final class DescriptorBudget {

    /** Files a log opens for a moment besides its partitions' (checkpoint temporaries, a roll, a cleaning). */
    static final int MARGIN = 100;
    private static final Path LIMITS = Path.of("/proc/self/limits");
    private static final Path OPEN = Path.of("/proc/self/fd");

    private final long limit;
    private final String limitSource;
    private volatile int maxConnections; // max.connections changes while the broker runs
    private final int perPartition;
    private final OpenFiles segmentFiles;

    /**
     * @param configuredLimit the limit to keep to, or 0 for the process's own
     * @param maxConnections  connections each listener may hold, each a descriptor
     * @param perPartition    descriptors an open partition holds; 0 when partitions hold none (in memory)
     * @param segmentFiles    the bound the partitions' other files are kept within
     */
    DescriptorBudget(long configuredLimit, int maxConnections, int perPartition, OpenFiles segmentFiles) {
        this.segmentFiles = segmentFiles;
        OptionalLong processLimit = configuredLimit > 0 ? OptionalLong.empty() : processLimit();
        this.limit = configuredLimit > 0 ? configuredLimit : processLimit.orElse(Long.MAX_VALUE);
        this.limitSource = configuredLimit > 0 ? BrokerConfig.FILE_DESCRIPTOR_LIMIT : "ulimit -n";
        this.maxConnections = maxConnections;
        this.perPartition = perPartition;
    }

    /** Refuses {@code partitions} new partitions of {@code topic} if their descriptors would not fit. */
    void requireRoomFor(String topic, int partitions) {
        if (perPartition == 0 || limit == Long.MAX_VALUE || partitions <= 0) {
            return;
        }
        int connections = maxConnections;
        long reserve = reserve();
        long open = openNow();
        long segmentRoom = Math.max(0, segmentFiles.capacity() - segmentFiles.open());
        long free = Math.max(0, limit - open - reserve - segmentRoom);
        long needed = (long) partitions * perPartition;
        if (needed > free) {
            throw new InvalidPartitionsException("topic '" + topic + "' cannot get " + partitions + " new partitions:"
                    + " each holds " + perPartition + " file descriptor" + (perPartition == 1 ? "" : "s") + ", so they"
                    + " need " + needed + ", and " + free + " are free (the limit is " + limit + " (" + limitSource
                    + "), " + open + " are open, " + reserve + " are kept for connections: 2 x max.connections="
                    + connections + " + " + MARGIN + ", and " + segmentRoom + " for segment files up to "
                    + BrokerConfig.LOG_OPEN_FILES_MAX + "=" + segmentFiles.capacity() + "). Ask for fewer partitions,"
                    + " delete a topic, or raise the limit");
        }
    }

    /** The reserve for connections follows max.connections when it changes. */
    void maxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    /** The limit kept to, and where it came from. */
    long limit() {
        return limit;
    }

    int perPartition() {
        return perPartition;
    }

    int reserve() {
        return (int) Math.min(Integer.MAX_VALUE, 2L * maxConnections + MARGIN);
    }

    /** The soft limit on open files: Linux says it in /proc/self/limits, other systems through the JVM. */
    static OptionalLong processLimit() {
        try {
            for (String line : Files.readAllLines(LIMITS)) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(soft));
                }
            }
        } catch (IOException | RuntimeException notLinux) {
            // ask the JVM instead
        }
        OperatingSystemMXBean system = ManagementFactory.getOperatingSystemMXBean();
        if (system instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return OptionalLong.of(unix.getMaxFileDescriptorCount());
        }
        return OptionalLong.empty();
    }

    /** The descriptors this process has open now. */
    static long openNow() {
        OperatingSystemMXBean system = ManagementFactory.getOperatingSystemMXBean();
        if (system instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return unix.getOpenFileDescriptorCount();
        }
        try (Stream<Path> open = Files.list(OPEN)) {
            return open.count();
        } catch (IOException | RuntimeException unknown) {
            return 0;
        }
    }

    @Override
    public String toString() {
        return "limit " + limit + " (" + limitSource + "), " + perPartition + " per partition, " + reserve() + " kept for"
                + " connections, " + segmentFiles;
    }
}
