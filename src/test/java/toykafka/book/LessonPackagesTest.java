package toykafka.book;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
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
            Map.entry("13/KafkaSocket", "the hand-built client's socket, plumbing under the frames the text shows")));

    /** The share of each lesson's package its text shows (lines in included regions) and names (files). */
    record Share(int files, int namedFiles, long lines, long shownLines) {
    }

    @Test
    void every_file_of_a_lesson_package_is_shown_or_named_in_its_text_or_explained_here() {
        TreeSet<String> unnamed = new TreeSet<>();
        for (Lesson lesson : Course.lessons()) {
            String text = read(Path.of(lesson.lessonFile()));
            for (Path file : javaFiles(lesson)) {
                String name = file.getFileName().toString().replace(".java", "");
                boolean demo = name.equals("Lesson" + lesson.paddedNumber() + "Demo"); // the narrated main, run by ./toykafka lesson N
                if (!demo && !Pattern.compile("\\b" + name + "\\b").matcher(text).find()) {
                    unnamed.add(lesson.paddedNumber() + "/" + name);
                }
            }
        }
        TreeSet<String> unexplained = new TreeSet<>(unnamed);
        unexplained.removeAll(UNNAMED.keySet());
        TreeSet<String> stale = new TreeSet<>(UNNAMED.keySet());
        stale.removeAll(unnamed);
        assertEquals(List.of(), List.copyOf(unexplained), "files a lesson's text never names: name them in the text, "
                + "move them to where they are taught, or say here why they stay");
        assertEquals(List.of(), List.copyOf(stale), "reasons kept for files that are now named or gone: drop them");
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
            Matcher include = Pattern.compile("include::\\{sourcedir}/toykafka/([\\w/]+)\\.java\\[tags?=([^,\\]]+)")
                    .matcher(text);
            while (include.find()) {
                if (!include.group(1).startsWith("lesson" + lesson.paddedNumber() + "/")) {
                    continue;
                }
                String source = read(SOURCES.resolve(include.group(1) + ".java"));
                for (String tag : include.group(2).split(";")) {
                    shown += linesTagged(source, tag);
                }
            }
            shares.put(lesson.number(), new Share(files.size(), named, lines, shown));
        }
        return shares;
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
