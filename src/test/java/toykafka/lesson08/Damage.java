package toykafka.lesson08;

import toykafka.common.Compression;
import toykafka.common.RecordBatch;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/** Ways to damage a segment file, as a crash, a bad disk or a stray editor would. */
public final class Damage {

    private Damage() {
    }

    /** Flips the lowest bit of one byte. */
    public static void flipByte(Path file, long position) throws IOException {
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.seek(position);
            int original = raw.read();
            raw.seek(position);
            raw.write(original ^ 1);
        }
    }

    /** Cuts the file short, as a bad disk or a careless copy would. */
    public static void truncate(Path file, long size) throws IOException {
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.setLength(size);
        }
    }

    /** Every file in a directory, with its size and checksum, to show that nothing changed. */
    public static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path file : (Iterable<Path>) list::iterator) {
                byte[] bytes = Files.readAllBytes(file);
                CRC32 crc = new CRC32();
                crc.update(bytes);
                files.put(file.getFileName().toString(), bytes.length + " bytes, crc " + Long.toHexString(crc.getValue()));
            }
        }
        return files;
    }

    public static void append(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes, StandardOpenOption.APPEND);
    }

    /** The batch of one record that an append of it at an offset writes, as bytes. */
    public static byte[] frame(toykafka.common.Record record, long offset) {
        java.nio.ByteBuffer batch = RecordBatch.of(java.util.List.of(record), offset, Compression.NONE).buffer();
        byte[] bytes = new byte[batch.remaining()];
        batch.get(bytes);
        return bytes;
    }

    /** Where record {@code offset} starts in segment 0 when every record is order(n), appended one at a time. */
    public static long positionOfOrder(int offset) {
        long position = 0;
        for (int i = 0; i < offset; i++) {
            position += frame(TestRecords.order(i), i).length;
        }
        return position;
    }
}
