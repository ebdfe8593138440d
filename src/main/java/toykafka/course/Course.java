package toykafka.course;

import java.util.List;
import java.util.Optional;
import toykafka.lesson01.Lesson01Demo;
import toykafka.lesson08.Lesson08Demo;

/** The lessons in order. Menus, the tour, the checks and the tests all read this one list. */
public final class Course {

    private static final List<Lesson> LESSONS = List.of(
            new Lesson(1, "the-log", "The log is a list",
                    "append returns an offset; read by offset, earliest, latest or -1; reading never removes",
                    "a partition's log; offsets; log start offset and log end offset",
                    Lesson01Demo::narrate,
                    "toykafka.exercises.lesson01.MyListLog", "toykafka.exercises.lesson01.MyListLogCheck",
                    List.of("toykafka.lesson01.ListLogTest")),
            new Lesson(8, "file-backed-log", "The file-backed log",
                    "segments of checksummed records with a sparse index; fsync and group commit; crash recovery;"
                            + " retention deletes whole segments",
                    "`.log`, `.index` and `.timeindex` files, `segment.bytes`, `index.interval.bytes`, `flush.ms`,"
                            + " the recovery point checkpoint, `retention.ms`, `retention.bytes`",
                    Lesson08Demo::narrate,
                    "toykafka.exercises.lesson08.MySparseIndex", "toykafka.exercises.lesson08.MySparseIndexCheck",
                    List.of("toykafka.lesson08.SegmentIndexTest", "toykafka.lesson08.MemoryLogTest",
                            "toykafka.lesson08.FileLogTest")));

    private Course() {
    }

    public static List<Lesson> lessons() {
        return LESSONS;
    }

    public static Optional<Lesson> lesson(int number) {
        return LESSONS.stream().filter(lesson -> lesson.number() == number).findFirst();
    }

    /** The lesson with this number, or an error that names the lessons there are. */
    public static Lesson require(int number) {
        return lesson(number).orElseThrow(() -> new IllegalArgumentException(
                "there is no lesson " + number + ": choose a lesson from 1 to " + last().number()));
    }

    /** The lesson with the highest number. */
    public static Lesson last() {
        return LESSONS.get(LESSONS.size() - 1);
    }
}
