package toykafka.common;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import net.jpountz.lz4.LZ4FrameInputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;
import org.xerial.snappy.SnappyInputStream;
import org.xerial.snappy.SnappyOutputStream;

/**
 * The codecs a record batch may be compressed with: the producer's {@code compression.type}, written in
 * the low three bits of the batch's attributes. A compressed batch keeps its header in the clear and
 * compresses only the records, so a broker can stamp offsets and check the CRC without decompressing.
 */
public enum Compression {
    NONE(0, "none"),
    GZIP(1, "gzip"),
    SNAPPY(2, "snappy"),
    LZ4(3, "lz4"),
    ZSTD(4, "zstd");

    private final int id;
    private final String configName;

    Compression(int id, String configName) {
        this.id = id;
        this.configName = configName;
    }

    /** The number in the batch's attributes. */
    public int id() {
        return id;
    }

    /** The name a producer's {@code compression.type} uses. */
    public String configName() {
        return configName;
    }

    public static Compression ofId(int id) {
        return EnumLookup.byId(values(), Compression::id, id).orElseThrow(() -> new CorruptRecordException(
                "compression codec " + id + " is not one of Kafka's (0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd)"));
    }

    public static Compression ofConfigName(String name) {
        return EnumLookup.byName(values(), Compression::configName, name).orElseThrow(
                () -> new InvalidConfigurationException("compression.type '" + name + "' is not one of none, gzip,"
                        + " snappy, lz4, zstd"));
    }

    /** A stream that compresses what is written to it into {@code out}; closing it finishes the frame. */
    public OutputStream compressing(OutputStream out) throws IOException {
        return switch (this) {
            case NONE -> out;
            case GZIP -> new GZIPOutputStream(out, 8 * 1024);
            case SNAPPY -> new SnappyOutputStream(out);
            // Kafka's producer writes 64 KiB independent blocks and no content checksum
            case LZ4 -> new LZ4FrameOutputStream(out, LZ4FrameOutputStream.BLOCKSIZE.SIZE_64KB,
                    LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE);
            case ZSTD -> new ZstdOutputStreamNoFinalizer(out);
        };
    }

    /** A stream that reads {@code in} decompressed. */
    public InputStream decompressing(InputStream in) throws IOException {
        return switch (this) {
            case NONE -> in;
            case GZIP -> new GZIPInputStream(in, 8 * 1024);
            case SNAPPY -> new SnappyInputStream(in);
            case LZ4 -> new LZ4FrameInputStream(in);
            case ZSTD -> new ZstdInputStreamNoFinalizer(in);
        };
    }
}
