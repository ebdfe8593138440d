package toykafka.lesson08;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.lesson08.TestRecords.START;
import static toykafka.lesson08.TestRecords.order;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.common.Record;
import toykafka.tools.SegmentDump;
import toykafka.common.InvalidRecordException;
import toykafka.common.RecordTooLargeException;
import toykafka.common.TopicConfig;

/** The broker's way in: frames a producer encoded, checked and given offsets by the log. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AppendFramesTest {

    @TempDir
    Path dataDir;
    private FileLog log;

    @BeforeEach
    void open() {
        log = FileLog.open(dataDir, "orders", 0, TopicConfig.defaults().with(TopicConfig.MAX_MESSAGE_BYTES, 1000));
        log.appendAll(List.of(order(0), order(1), order(2)));
    }

    @AfterEach
    void close() {
        log.close();
    }

    @Test
    void frames_encoded_from_offset_0_are_given_the_logs_offsets() {
        ByteBuffer frames = RecordCodec.encodeAll(List.of(order(3), order(4)));
        assertEquals(3, log.appendFrames(frames), "the first frame takes the log's end offset, whatever it said");
        assertEquals(List.of(order(3), order(4)), log.readBatch(3, 10));
        assertEquals(4, log.fetch(4, ByteBuffer.allocate(1024)).firstOffset());
        log.flush();
        assertTrue(SegmentDump.verify(log.directory().resolve(log.segments().get(0).name())).ok(),
                "on disk, every frame carries its new offset and its CRC still matches");
    }

    @Test
    void a_frame_with_a_bad_crc_refuses_the_whole_batch() {
        ByteBuffer frames = RecordCodec.encodeAll(List.of(order(3), order(4)));
        int second = RecordCodec.frameSize(order(3));
        frames.put(second + RecordCodec.FRAME_HEAD + 2, (byte) 0x55); // damage the second frame's timestamp
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> log.appendFrames(frames));
        assertTrue(error.getMessage().startsWith("frame 1 (byte " + second + " of the batch): CRC-32C mismatch"),
                error.getMessage());
        assertTrue(error.getMessage().endsWith("; nothing was appended"), error.getMessage());
        assertEquals(3, log.endOffset(), "not even the good first frame was appended");
    }

    @Test
    void a_batch_cut_short_is_refused() {
        ByteBuffer frames = RecordCodec.encodeAll(List.of(order(3)));
        frames.limit(frames.limit() - 1);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> log.appendFrames(frames));
        assertEquals("frame 0 (byte 0 of the batch): the batch ends inside this frame; nothing was appended",
                error.getMessage());
        assertThrows(InvalidRecordException.class, () -> log.appendFrames(ByteBuffer.allocate(0)),
                "no frames at all is an empty batch");
        assertEquals(3, log.endOffset());
    }

    @Test
    void a_frame_whose_fields_do_not_fill_it_is_refused_even_with_a_good_crc() {
        ByteBuffer frames = RecordCodec.encodeAll(List.of(order(3)));
        frames.putInt(RecordCodec.KEY_AT, 1_000); // a key longer than the frame
        frames.putInt(RecordCodec.CRC_AT, RecordCodec.crcOf(frames, RecordCodec.FRAME_HEAD, frames.limit()));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> log.appendFrames(frames));
        assertEquals("frame 0 (byte 0 of the batch): a field says it is 1000 bytes long, more than the frame holds;"
                + " nothing was appended", error.getMessage());
        assertEquals(3, log.endOffset());
    }

    @Test
    void the_log_rules_apply_to_frames_too() {
        ByteBuffer empty = RecordCodec.encodeAll(List.of(Record.of(null, null, START)));
        InvalidRecordException error = assertThrows(InvalidRecordException.class, () -> log.appendFrames(empty));
        assertTrue(error.getMessage().startsWith("frame 0 (byte 0 of the batch): an empty record cannot be appended"),
                error.getMessage());
        ByteBuffer large = RecordCodec.encodeAll(List.of(Record.of("k", "v".repeat(1000), START)));
        RecordTooLargeException tooLarge = assertThrows(RecordTooLargeException.class, () -> log.appendFrames(large));
        assertTrue(tooLarge.getMessage().contains("1037 bytes") && tooLarge.getMessage().contains("1000 bytes (max.message.bytes)"),
                tooLarge.getMessage());
        assertEquals(3, log.endOffset());
    }
}
