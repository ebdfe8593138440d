package toykafka.course;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LessonReaderTest {

    private final LessonReader reader = new LessonReader(Path.of(""));

    @Test
    void a_lesson_reads_with_its_code_in_place_and_no_asciidoc_directives() {
        for (Lesson lesson : Course.lessons()) {
            String text = reader.read(lesson);
            assertFalse(text.contains("include::"), lesson.lessonFile());
            assertFalse(text.contains("[source]"), lesson.lessonFile());
        }
        String lesson1 = reader.read(Course.require(1));
        assertTrue(lesson1.contains("    long append(E event);"), "the interface's code, indented as code:\n" + lesson1);
    }

    @Test
    void the_solution_stays_folded_until_asked_for() {
        Lesson lesson3 = Course.require(3);
        String whole = reader.read(lesson3);
        assertFalse(whole.contains("startOffset += count;"), "the reference code must not show unasked");
        assertTrue(whole.contains("folded; ./toykafka read 3 solution opens it"), whole);
        assertTrue(whole.contains("folded; ./toykafka read 3 hints opens it"), whole);
        String solution = reader.read(lesson3, "solution");
        assertTrue(solution.contains("    startOffset += count;"), solution);
        assertTrue(solution.contains("\n    @Override\n    public long append(E event) {"),
                "indent=0: a method starts at the code block's margin:\n" + solution);
    }

    @Test
    void a_section_is_found_by_title_start_or_anchor_and_ends_at_the_next_section() {
        Lesson lesson3 = Course.require(3);
        String byTitle = reader.read(lesson3, "Retention by");
        assertTrue(byTitle.startsWith("Retention by count\n"), byTitle);
        assertFalse(byTitle.contains("Retention by age"), byTitle);
        assertTrue(reader.read(lesson3, "retention-age").startsWith("Retention by age\n"));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> reader.read(lesson3, "compaction"));
        assertTrue(unknown.getMessage().contains("Retention by count"), unknown.getMessage());
    }

    @Test
    void a_cross_reference_reads_as_its_text_or_the_title_of_the_section_it_names() {
        Map<String, String> titles = Map.of("one-group", "Classic and consumer groups side by side");
        assertEquals("The rules are the ones of Locks and redelivery: acquiring",
                LessonReader.crossReferences("The rules are the ones of <<redelivery,Locks and redelivery>>: acquiring",
                        titles));
        assertEquals("(see Classic and consumer groups side by side) and (dead letters)",
                LessonReader.crossReferences("(see <<one-group>>) and (<<dead-letters>>)", titles),
                "no text: the section's title, or the anchor in words for one the titles do not know");
        assertEquals("The talk this course grew from (where the course comes from) says",
                LessonReader.crossReferences("The talk this course grew from (xref:origins.adoc#talk[where the course"
                        + " comes from]) says", titles));
        assertEquals("x << 2 and y >> 1 stay", LessonReader.crossReferences("x << 2 and y >> 1 stay", titles),
                "only a well-formed reference is rewritten");
    }

    @Test
    void no_lesson_prints_a_cross_reference_or_a_table_delimiter_raw() {
        for (Lesson lesson : Course.lessons()) {
            String text = reader.read(lesson);
            for (String line : text.split("\n")) {
                if (!line.startsWith("    ")) { // code keeps its own << and >>
                    assertFalse(line.contains("<<") || line.contains(">>") || line.contains("xref:")
                            || line.equals("|==="), lesson.lessonFile() + ": " + line);
                }
            }
        }
        assertTrue(reader.read(Course.require(17)).contains("The rules are the ones of Locks and redelivery:"),
                "lesson 17's reference reads as its text");
        assertTrue(reader.read(Course.require(16)).contains("(see Classic and consumer groups side by side)"),
                "lesson 16's bare reference reads as the title of the section it names");
    }
}
