package toykafka.lesson08;

import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * Keeps segment files' channels under a bound that many logs share, such as the broker's {@code log.open.files.max}:
 * it may close a file nobody is using and open it again by name at its next use. A log on its own has none, and
 * each of its files keeps one channel until its segment closes. Every method is called by {@link DiskFile}.
 */
public interface ChannelKeeper {

    /** Takes on a file just opened, with its channel. */
    void opened(DiskFile file, FileChannel channel);

    /** The file's channel, opened again if it was closed for others; in use, so left open, until {@link #release}. */
    FileChannel acquire(DiskFile file) throws IOException;

    /** One use of the file is over. */
    void release(DiskFile file);

    /** Replaces a channel an interrupt closed, unless another thread did already. */
    void reopen(DiskFile file, FileChannel failed) throws IOException;

    /** Keeps the file open, whatever the bound, until {@link #letGo}. */
    void hold(DiskFile file) throws IOException;

    /** The file may be closed for others again once nobody uses it. */
    void letGo(DiskFile file);

    /** Closes the file for good: its segment closed. */
    void close(DiskFile file) throws IOException;
}
