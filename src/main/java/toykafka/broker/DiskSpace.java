package toykafka.broker;

/** A file store's size and the bytes still free to this process; -1 for each when not known. */
public record DiskSpace(long totalBytes, long usableBytes) {

    /** What a broker kept in memory, or a store that cannot say, answers. */
    public static final DiskSpace UNKNOWN = new DiskSpace(-1, -1);
}
