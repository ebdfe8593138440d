package toykafka.book;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import toykafka.course.Course;
import toykafka.course.Lesson;

/**
 * A lesson's package holds what its text teaches: every file there is shown or named in the lesson, or listed
 * here with the reason it is not. The list must shrink as files move to where they are taught, and must not keep
 * a reason for a file the text now names.
 */
class LessonPackagesTest {

    private static final Path SOURCES = Path.of("src", "main", "java", "toykafka");

    /** Files a lesson's text does not name, each with why it lives in that lesson's package anyway. */
    private static final Map<String, String> UNNAMED = new TreeMap<>(Map.ofEntries(
            Map.entry("04/DefaultPartitioner", "the partitioner the text describes by Kafka's name, murmur2 of the key"),
            Map.entry("04/Partitioner", "the interface DefaultPartitioner implements, shown through it"),
            Map.entry("04/TopicDescription", "the record describeTopic returns, which the text shows as output"),
            Map.entry("05/ConsumerRecord", "the record a poll returns, shown in the text's output"),
            Map.entry("06/CompactionConfig", "the settings the text gives by their Kafka names"),
            Map.entry("07/Threads", "the demo's thread starter, a few lines of plumbing"),
            Map.entry("10/Http", "the demo's HTTP client, a few lines of plumbing"),
            Map.entry("13/KafkaDemos", "what the demos from lesson 13 on share: their command line, the Admin client"
                    + " and the topics they start from, plumbing"),
            Map.entry("13/KafkaSocket", "the hand-built client's socket, plumbing under the frames the text shows")));

    /**
     * Files a lesson's text shows no line of, each with why: naming a file is not teaching it, so a file the text
     * only names must earn its place here. The list must shrink as machinery moves behind seams or gets shown.
     */
    private static final Map<String, String> NOT_SHOWN = new TreeMap<>(Map.ofEntries(
            Map.entry("02/EventAt", "a two-field record (an event and its offset), shown through the polls that return it"),
            Map.entry("03/Retention", "the bounded log's two limits, given in the text as settings"),
            Map.entry("04/DefaultPartitioner", "murmur2 of the key, described by Kafka's name rather than shown"),
            Map.entry("04/OnDuplicate", "a two-value enum the text's calls pass"),
            Map.entry("04/Partitioner", "the interface DefaultPartitioner implements"),
            Map.entry("04/TopicDescription", "the record describeTopic returns, shown as the notebook's output"),
            Map.entry("05/ConsumerRecord", "the record a poll returns, shown as output"),
            Map.entry("05/Delivery", "the two commit orders, an enum the text explains in words"),
            Map.entry("05/GroupSettings", "settings under Kafka's consumer config names, listed in the text"),
            Map.entry("05/PartitionAssignor", "the range assignment, taught through the group's output; lesson 16 shows"
                    + " the broker's assignors"),
            Map.entry("06/Compaction", "the report one compaction returns, shown as output"),
            Map.entry("06/CompactionConfig", "Kafka's three compaction settings, given in the text by name"),
            Map.entry("07/Partitions", "the argument checks the lesson's producers share"),
            Map.entry("07/ThreadingBenchmark", "the rough timing the text quotes, run by the demo"),
            Map.entry("07/Threads", "the demo's thread starter, plumbing"),
            Map.entry("08/ChannelKeeper", "the seam through which the broker's storage bounds open files (lesson 10)"),
            Map.entry("08/DiskFile", "file I/O with its error messages, under the segment the text shows"),
            Map.entry("08/FileSlice", "a slice of a segment for the broker's zero-copy fetch, shown in lesson 13"),
            Map.entry("08/IndexEntry", "an offset and a byte position, the index's entry the text draws"),
            Map.entry("08/Location", "where a record lies, the answer of locate shown as the demo's output"),
            Map.entry("08/SegmentInfo", "what the tools and the console list of a segment, shown as output"),
            Map.entry("09/DataDirectoryOwner", "the seam through which lesson 10's storage owns a whole data directory"),
            Map.entry("09/SegmentRewriter", "the interface lesson 12's cleaner implements"),
            Map.entry("09/SegmentSwap", "the crash-safe swap, shown by lesson 12, whose cleaner uses it"),
            Map.entry("10/DemoBroker", "the demos' broker start and stop, plumbing"),
            Map.entry("10/Http", "the demo's HTTP client, plumbing; the text shows the curl calls"),
            Map.entry("11/Charts", "the charts drawn with XChart, shown as pictures"),
            Map.entry("13/KafkaDemos", "the demos' command line, Admin client and topics, plumbing"),
            Map.entry("13/KafkaSocket", "the hand-built client's socket, plumbing under the frames the text shows"),
            Map.entry("14/Cook", "a KafkaConsumer and its rebalance listener: Kafka's client, shown by its output"),
            Map.entry("14/Kitchen", "the cooks polled in turn and the group as Kafka's Admin describes it, shown as"
                    + " output"),
            Map.entry("15/AbortedTransactionFilter", "the reference answer to the lesson's exercise, which the text"
                    + " leaves to the learner"),
            Map.entry("16/LineCook", "a KafkaConsumer polling on a thread of its own, shown by the drill's output"),
            Map.entry("19/LeaderNotAvailableException", "the error a write gets with no leader, named in the text"),
            Map.entry("19/NotEnoughReplicasException", "the error acks=all gets below min.insync.replicas, named in"
                    + " the text"),
            Map.entry("19/ProduceLatency", "the latency run whose figures the text quotes"),
            Map.entry("19/ShopDrill", "the three-node drill the text narrates from its output")));

    /** The share of each lesson's package its text shows (lines in included regions) and names (files). */
    record Share(int files, int namedFiles, long lines, long shownLines) {
    }

    @Test
    void every_file_of_a_lesson_package_is_shown_or_named_in_its_text_or_explained_here() {
        Set<String> unnamed = filesTheTextLeavesOut(
                (text, file) -> !Pattern.compile("\\b" + file.name() + "\\b").matcher(text).find());
        assertExplained(unnamed, UNNAMED, "files a lesson's text never names: name them in the text, "
                        + "move them to where they are taught, or say here why they stay",
                "reasons kept for files that are now named or gone: drop them");
    }

    @Test
    void every_file_of_a_lesson_package_has_lines_shown_by_its_text_or_a_reason_here() {
        Set<String> notShown = filesTheTextLeavesOut((text, file) -> shownLines(text, file.source()) == 0);
        assertExplained(notShown, NOT_SHOWN, "files whose lines a lesson's text never shows: show a"
                        + " region of them, move them behind a seam to where they are taught, or say here why they stay",
                "reasons kept for files the text now shows, or gone: drop them");
    }

    /** A file of lesson {@code number}'s package, by its class name. */
    private record LessonFile(String number, String name) {
        /** The file under the sources, without {@code .java}: {@code lessonNN/Name}. */
        String source() {
            return "lesson" + number + "/" + name;
        }
    }

    /**
     * The files of the lesson packages, as {@code NN/Name}, that their lesson's text leaves out by {@code leftOut},
     * given the text and the file. A lesson's demo is never left out: it is the narrated main, run by
     * ./toykafka lesson N.
     */
    private static TreeSet<String> filesTheTextLeavesOut(BiPredicate<String, LessonFile> leftOut) {
        TreeSet<String> found = new TreeSet<>();
        for (Lesson lesson : Course.lessons()) {
            String text = read(Path.of(lesson.lessonFile()));
            for (Path file : javaFiles(lesson)) {
                LessonFile lessonFile = new LessonFile(lesson.paddedNumber(),
                        file.getFileName().toString().replace(".java", ""));
                boolean demo = lessonFile.name().equals("Lesson" + lesson.paddedNumber() + "Demo");
                if (!demo && leftOut.test(text, lessonFile)) {
                    found.add(lesson.paddedNumber() + "/" + lessonFile.name());
                }
            }
        }
        return found;
    }

    /** Every file left out has its reason in {@code reasons}, and every reason is for a file left out. */
    private static void assertExplained(Set<String> leftOut, Map<String, String> reasons, String unexplainedMessage,
            String staleMessage) {
        TreeSet<String> unexplained = new TreeSet<>(leftOut);
        unexplained.removeAll(reasons.keySet());
        TreeSet<String> stale = new TreeSet<>(reasons.keySet());
        stale.removeAll(leftOut);
        assertEquals(List.of(), List.copyOf(unexplained), unexplainedMessage);
        assertEquals(List.of(), List.copyOf(stale), staleMessage);
    }

    /** Each lesson's shown and named share, for whoever reshapes a package to compare before and after. */
    static Map<Integer, Share> shares() {
        Map<Integer, Share> shares = new TreeMap<>();
        for (Lesson lesson : Course.lessons()) {
            String text = read(Path.of(lesson.lessonFile()));
            List<Path> files = javaFiles(lesson);
            int named = 0;
            long lines = 0;
            for (Path file : files) {
                String name = file.getFileName().toString().replace(".java", "");
                named += Pattern.compile("\\b" + name + "\\b").matcher(text).find() ? 1 : 0;
                lines += read(file).lines().count();
            }
            long shown = 0;
            for (Path file : files) {
                shown += shownLines(text, "lesson" + lesson.paddedNumber() + "/"
                        + file.getFileName().toString().replace(".java", ""));
            }
            shares.put(lesson.number(), new Share(files.size(), named, lines, shown));
        }
        return shares;
    }

    /**
     * How many lines of the source file ({@code lessonNN/Name}) the text includes: the lines inside each tagged
     * region it includes, or every line of a file it includes whole.
     */
    private static long shownLines(String text, String file) {
        long shown = 0;
        Matcher include = Pattern.compile("include::\\{sourcedir}/toykafka/" + Pattern.quote(file)
                + "\\.java\\[([^\\]]*)]").matcher(text);
        while (include.find()) {
            String source = read(SOURCES.resolve(file + ".java"));
            Matcher tags = Pattern.compile("tags?=([^,\\]]+)").matcher(include.group(1));
            if (!tags.find()) {
                shown += source.lines().count();
                continue;
            }
            for (String tag : tags.group(1).split(";")) {
                shown += linesTagged(source, tag);
            }
        }
        return shown;
    }

    private static long linesTagged(String source, String tag) {
        long count = 0;
        boolean inside = false;
        for (String line : source.lines().toList()) {
            if (line.contains("end::" + tag + "[]")) {
                inside = false;
            } else if (inside) {
                count++;
            } else if (line.contains("tag::" + tag + "[]")) {
                inside = true;
            }
        }
        return count;
    }

    private static List<Path> javaFiles(Lesson lesson) {
        try (Stream<Path> files = Files.list(SOURCES.resolve("lesson" + lesson.paddedNumber()))) {
            return files.filter(file -> file.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Prints each lesson's shares, to compare a package before and after it is reshaped. */
    public static void main(String[] args) {
        shares().forEach((number, share) -> System.out.printf("lesson %2d: %2d files, %2d named (%3d %%); %5d lines,"
                + " %4d shown (%2d %%)%n", number, share.files(), share.namedFiles(), 100 * share.namedFiles()
                / share.files(), share.lines(), share.shownLines(), 100 * share.shownLines() / share.lines()));
    }
}
