package toykafka.book;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import toykafka.course.Course;
import toykafka.course.Lesson;

/**
 * The lesson texts include their code from src by tag. The book build fails on a missing tag too;
 * this test finds the same mistake in seconds, with the file and tag named.
 */
class LessonTextTest {

    private static final Map<String, String> DIRECTORIES = Map.of(
            "sourcedir", "src/main/java",
            "exercisedir", "src/exercises/java",
            "testdir", "src/test/java",
            "hintsdir", "src/main/resources/toykafka/hints");

    private static final Pattern INCLUDE = Pattern.compile("include::\\{(\\w+)}/([^\\[]+)\\[([^\\]]*)]");
    private static final Pattern TAGS = Pattern.compile("tags?=([^,\\]]+)");

    @TestFactory
    Stream<DynamicTest> every_include_names_a_file_and_tags_that_exist() {
        return Course.lessons().stream().map(lesson -> DynamicTest.dynamicTest(lesson.lessonFile(), () -> {
            String text = Files.readString(Path.of(lesson.lessonFile()));
            Matcher include = INCLUDE.matcher(text);
            List<String> missing = new ArrayList<>();
            int includes = 0;
            while (include.find()) {
                includes++;
                String directory = DIRECTORIES.get(include.group(1));
                if (directory == null) {
                    missing.add("unknown attribute {" + include.group(1) + "}");
                    continue;
                }
                Path source = Path.of(directory, include.group(2));
                if (!Files.isRegularFile(source)) {
                    missing.add("no file " + source);
                    continue;
                }
                String code = Files.readString(source);
                Matcher tags = TAGS.matcher(include.group(3));
                if (tags.find()) {
                    for (String tag : tags.group(1).split(";")) {
                        if (tag.startsWith("*") || tag.startsWith("!")) {
                            continue; // wildcards and exclusions name no tag that must exist
                        }
                        if (!code.contains("tag::" + tag + "[]") || !code.contains("end::" + tag + "[]")) {
                            missing.add("no tag '" + tag + "' in " + source);
                        }
                    }
                }
            }
            assertTrue(includes > 0, lesson.lessonFile() + " includes no code from src");
            assertEquals(List.of(), missing, lesson.lessonFile());
        }));
    }

    /** The reference class each exercise asks the learner to write again, as the text includes it. */
    private static final Map<Integer, String> EXERCISE_REFERENCE = Map.ofEntries(
            Map.entry(1, "toykafka/lesson01/ListLog.java"),
            Map.entry(2, "toykafka/lesson02/PollingConsumer.java"),
            Map.entry(3, "toykafka/lesson03/BoundedLog.java"),
            Map.entry(4, "toykafka/lesson04/TopicRegistry.java"),
            Map.entry(5, "toykafka/lesson05/GroupCoordinator.java"),
            Map.entry(6, "toykafka/lesson06/TreeMapCompactedLog.java"),
            Map.entry(7, "toykafka/lesson07/BatchingProducer.java"),
            Map.entry(8, "toykafka/lesson08/SegmentIndex.java"),
            Map.entry(9, "toykafka/lesson09/TimeAndSizeRetention.java"),
            Map.entry(10, "toykafka/broker/coordinators/SortedOffsetsTable.java"),
            Map.entry(11, "toykafka/lesson11/TablesawSummaries.java"),
            Map.entry(12, "toykafka/lesson12/OffsetMap.java"),
            Map.entry(13, "toykafka/lesson13/HeaderDecoder.java"),
            Map.entry(14, "toykafka/broker/group/classic/ConsumerProtocol.java"),
            Map.entry(15, "toykafka/broker/CommittedBatches.java"),
            Map.entry(16, "toykafka/broker/group/consumer/MemberAssignment.java"),
            Map.entry(17, "toykafka/lesson17/DeliveryRules.java"),
            Map.entry(18, "toykafka/broker/security/StandardAuthorizer.java"),
            Map.entry(19, "toykafka/lesson19/PartitionBookkeeping.java"));

    @TestFactory
    Stream<DynamicTest> the_code_an_exercise_asks_for_is_shown_only_in_the_folded_solution_after_it() {
        return Course.lessons().stream().map(lesson -> DynamicTest.dynamicTest(lesson.lessonFile(), () -> {
            String reference = EXERCISE_REFERENCE.get(lesson.number());
            assertTrue(reference != null, "name the reference class of lesson " + lesson.number() + "'s exercise");
            String text = Files.readString(Path.of(lesson.lessonFile()));
            int exercise = text.indexOf("\n== Exercise");
            int solution = text.indexOf("\n[[solution]]\n");
            assertTrue(exercise > 0, lesson.lessonFile() + " has no '== Exercise' section");
            int firstInclude = text.indexOf("include::{sourcedir}/" + reference);
            assertTrue(firstInclude < 0 || (solution > exercise && firstInclude > solution),
                    lesson.lessonFile() + " shows " + reference + " before its exercise, so pasting it would pass:"
                            + " move it into the folded [[solution]] block after the hints");
            if (solution > 0) {
                assertTrue(text.substring(solution).startsWith("\n[[solution]]\n.") && text.indexOf("[%collapsible]",
                        solution) < text.indexOf("include::", solution), "the solution block must be folded");
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> a_starter_included_by_lines_starts_at_a_declaration_and_ends_with_a_closing_brace() {
        Pattern byLines = Pattern.compile("include::\\{exercisedir}/([^\\[]+)\\[lines=(\\d+)\\.\\.(-?\\d+)]");
        return Course.lessons().stream().map(lesson -> DynamicTest.dynamicTest(lesson.lessonFile(), () -> {
            Matcher include = byLines.matcher(Files.readString(Path.of(lesson.lessonFile())));
            while (include.find()) {
                List<String> lines = Files.readAllLines(Path.of("src/exercises/java", include.group(1)));
                int first = Integer.parseInt(include.group(2));
                int last = Integer.parseInt(include.group(3));
                String start = lines.get(first - 1).strip();
                String end = last < 0 ? lines.get(lines.size() - 1).strip() : lines.get(last - 1).strip();
                assertTrue(start.startsWith("public class") || start.startsWith("/**"), include.group()
                        + " starts mid-way, at: " + start + "; the starter changed, so change the line numbers");
                assertEquals("}", end, include.group() + " ends mid-way; the starter changed, so change the line numbers");
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> every_starter_points_at_sections_the_reader_finds() {
        Pattern pointer = Pattern.compile("\\./toykafka read (\\d+) ([\\w -]+)\\)");
        toykafka.course.LessonReader reader = new toykafka.course.LessonReader(Path.of(""));
        return Course.lessons().stream().map(lesson -> DynamicTest.dynamicTest(lesson.exerciseClass(), () -> {
            String starter = Files.readString(Path.of("src/exercises/java",
                    lesson.exerciseClass().replace('.', '/') + ".java"));
            Matcher read = pointer.matcher(starter);
            int pointers = 0;
            while (read.find()) {
                pointers++;
                assertEquals(String.valueOf(lesson.number()), read.group(1), read.group());
                assertFalse(reader.read(lesson, read.group(2)).isBlank(), read.group());
            }
            assertTrue(pointers > 0, lesson.exerciseClass() + " should point at sections with ./toykafka read");
        }));
    }

    @TestFactory
    Stream<DynamicTest> a_lesson_that_names_a_system_the_course_grew_from_links_the_page_that_introduces_it() {
        return Course.lessons().stream().map(lesson -> DynamicTest.dynamicTest(lesson.lessonFile(), () -> {
            String text = Files.readString(Path.of(lesson.lessonFile()));
            for (String system : List.of("Katar", "Wafka", "MiniKafka", "Kaf")) {
                Matcher named = Pattern.compile("\\b" + system + "\\b").matcher(text);
                if (named.find()) {
                    String before = text.substring(Math.max(0, named.start() - 40), named.start());
                    assertTrue(before.contains("xref:origins.adoc#" + system.toLowerCase(java.util.Locale.ROOT) + "["),
                            lesson.lessonFile() + " names " + system + " first without linking lessons/origins.adoc");
                }
            }
            assertFalse(Pattern.compile("the seed (talk|of)|seed's").matcher(text).find(), lesson.lessonFile()
                    + " speaks of 'the seed': say 'the talk this course grew from' and link xref:origins.adoc#talk[]");
        }));
    }

    @TestFactory
    Stream<DynamicTest> no_backtick_before_an_apostrophe_and_included_code_starts_at_the_margin() {
        return Course.lessons().stream().map(lesson -> DynamicTest.dynamicTest(lesson.lessonFile(), () -> {
            String text = Files.readString(Path.of(lesson.lessonFile()));
            assertFalse(text.contains("`'"), lesson.lessonFile() + ": Asciidoctor renders `Name`'s as a stray"
                    + " backtick and a curly quote; write it another way");
            Matcher include = INCLUDE.matcher(text);
            while (include.find()) {
                if (include.group(2).endsWith(".java") && TAGS.matcher(include.group(3)).find()) {
                    assertTrue(include.group(3).contains("indent=0"), lesson.lessonFile() + ": " + include.group()
                            + " needs indent=0, or the book shows it indented as deep as its class");
                }
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> every_lesson_says_what_real_kafka_calls_it_and_predicts_before_demos() {
        return Course.lessons().stream().map(lesson -> DynamicTest.dynamicTest(lesson.lessonFile(), () -> {
            String text = Files.readString(Path.of(lesson.lessonFile()));
            assertTrue(text.contains("In real Kafka"), lesson.lessonFile() + " needs an 'In real Kafka' box");
            assertTrue(text.contains("Predict"), lesson.lessonFile() + " needs 'predict the output' prompts");
            assertTrue(text.contains("include::{hintsdir}/" + lesson.paddedNumber() + "-" + lesson.slug() + ".txt[]"),
                    lesson.lessonFile() + " should include its hints file, the one ./toykafka hint shows");
        }));
    }

    @Test
    void every_lesson_text_belongs_to_a_lesson_of_the_course() throws IOException {
        List<String> expected = Course.lessons().stream().map(Lesson::lessonFile).sorted().toList();
        try (Stream<Path> files = Files.list(Path.of("lessons"))) {
            List<String> present = files.map(file -> "lessons/" + file.getFileName())
                    .filter(name -> name.matches("lessons/\\d\\d-.*\\.adoc")).sorted().toList();
            assertEquals(expected, present);
        }
    }

    @Test
    void the_book_index_links_every_lesson() throws IOException {
        String index = Files.readString(Path.of("lessons/index.adoc"));
        for (Lesson lesson : Course.lessons()) {
            String link = "xref:" + lesson.paddedNumber() + "-" + lesson.slug() + ".adoc[" + lesson.title() + "]";
            assertTrue(index.contains(link), "lessons/index.adoc should link " + link);
        }
    }

    @Test
    void the_course_map_says_what_each_lesson_builds_and_the_readme_says_the_same() throws IOException {
        // lines wrap anywhere, and the README sets names in code type
        String readme = Files.readString(Path.of("README.adoc")).replaceAll("\\s+", " ").replace("`", "");
        for (Lesson lesson : Course.lessons()) {
            assertTrue(readme.contains("| " + lesson.concept() + " |"), "README's map should say, as ./toykafka list"
                    + " does: " + lesson.concept());
        }
        // lesson 3 explains why its events are in a list and not in an ArrayDeque (which cannot be read by index)
        assertTrue(Files.readString(Path.of("lessons/03-the-bounded-log.adoc")).contains("cannot be read by index"));
        assertFalse(Course.require(3).concept().contains("deque"), Course.require(3).concept());
    }

    @Test
    void the_readme_says_how_long_mvn_verify_takes_and_what_runs_in_it() throws IOException {
        String readme = Files.readString(Path.of("README.adoc")).replaceAll("\\s+", " ");
        Matcher said = Pattern.compile("`mvn verify` takes [^.]*about (\\d+) minutes on a machine with (\\d+) cores: it"
                + " runs ([^.]+)\\.").matcher(readme);
        assertTrue(said.find(), "the quick start gives mvn verify's duration, the machine it was measured on, and"
                + " what runs in it");
        for (String part : List.of("contract tests", "notebook", "crash drills", "book")) {
            assertTrue(said.group(3).contains(part), "what runs in mvn verify includes the " + part + ": " + said.group(3));
        }
    }

    @Test
    void the_sections_a_starter_points_to_state_what_its_checks_demand() throws IOException {
        String lesson1 = Files.readString(Path.of("lessons/01-the-log.adoc")).replaceAll("\\s+", " ");
        String lesson3 = Files.readString(Path.of("lessons/03-the-bounded-log.adoc")).replaceAll("\\s+", " ");
        String lesson12 = Files.readString(Path.of("lessons/12-the-log-cleaner.adoc")).replaceAll("\\s+", " ");
        for (String text : List.of(lesson1, lesson3)) {
            assertTrue(text.contains("`NullPointerException` whose message says the event was `null`"),
                    "the append sections name the exception and the word the null check wants");
        }
        String offsetMap = lesson12.substring(lesson12.indexOf("== The offset map"), lesson12.indexOf("== Keeping only"));
        assertTrue(offsetMap.contains("90 % full"), "the offset map section states the fill rule");
        assertTrue(offsetMap.contains("one equal to it too"), "and that an equal offset is refused");
    }

    @Test
    void the_readme_has_no_includes_and_maps_every_lesson() throws IOException {
        String readme = Files.readString(Path.of("README.adoc"));
        assertFalse(readme.contains("include::"), "GitHub shows includes as bare links");
        for (Lesson lesson : Course.lessons()) {
            assertTrue(readme.contains(lesson.title()), "README's course map should list " + lesson.title());
        }
    }
}
