package toykafka.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import toykafka.check.PristineStarters;
import toykafka.course.Course;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class MainTest {

    private final PrintStream realOut = System.out;
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final StringWriter errors = new StringWriter();

    @BeforeEach
    void capture() {
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void release() {
        System.setOut(realOut);
    }

    private int run(String... args) {
        CommandLine commandLine = Main.commandLine();
        commandLine.setErr(new PrintWriter(errors, true));
        return commandLine.execute(args);
    }

    private String out() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void help_lists_every_command() {
        assertEquals(0, run("--help"));
        for (String command : new String[] {"tour", "lesson", "step", "check", "hint", "list"}) {
            assertTrue(out().contains(command), "--help should mention " + command + ":\n" + out());
        }
    }

    @Test
    void a_lesson_that_does_not_exist_gets_a_one_line_error_naming_the_range_and_the_usage() {
        int last = Course.last().number();
        assertEquals(2, run("lesson", "99"));
        String firstLine = errors.toString().lines().findFirst().orElse("");
        assertTrue(firstLine.contains("there is no lesson 99: choose a lesson from 1 to " + last), firstLine);
        assertTrue(errors.toString().contains("Usage: toykafka lesson"), errors.toString());
    }

    @Test
    void a_lesson_number_that_is_not_a_number_is_refused() {
        assertEquals(2, run("step", "three"));
        assertTrue(errors.toString().contains("'three' is not a lesson number"), errors.toString());
    }

    @Test
    void an_unknown_command_is_refused_with_usage() {
        assertEquals(2, run("frobnicate"));
        assertTrue(errors.toString().contains("Unmatched argument"), errors.toString());
        assertTrue(errors.toString().contains("Usage: toykafka"), errors.toString());
    }

    @Test
    void lesson_runs_the_narrated_demo() {
        assertEquals(0, run("lesson", "1"));
        assertTrue(out().contains("=== Lesson 1: the log is a list ==="), out());
    }

    @Test
    void hint_shows_one_hint_and_points_to_the_next() {
        assertEquals(0, run("hint", "1"));
        assertTrue(out().contains("Lesson 1, hint 1 of "), out());
        assertTrue(out().contains("./toykafka hint 1 2"), out());
    }

    @Test
    void a_hint_number_out_of_range_names_the_range() {
        assertEquals(2, run("hint", "1", "42"));
        assertTrue(errors.toString().startsWith("toykafka: lesson 1 has hints 1 to "), errors.toString());
    }

    @Test
    void check_on_an_untouched_starter_fails_with_concept_level_messages() {
        PristineStarters.assumePristine(Course.require(1));
        assertEquals(1, run("check", "1"));
        assertTrue(out().contains("FAIL  append returns the new events offset counting from 0"), out());
        assertTrue(out().contains("not written yet: append() is yours to write"), out());
        assertTrue(!out().contains("\tat "), "no stack traces:\n" + out());
    }

    @Test
    void step_plays_a_notebook_straight_through_when_nobody_is_at_the_keyboard() {
        assertEquals(0, run("step", "1", "--no-pause"));
        assertTrue(out().contains("jshell> log.append(\"cod\")\n==> 0"), out());
        assertTrue(out().contains("End of the notebook."), out());
    }

    @Test
    void watch_checks_first_and_then_waits_for_a_save() {
        PristineStarters.assumePristine(Course.require(1));
        assertEquals(0, run("watch", "1", "--checks", "1"));
        assertTrue(out().contains("FAIL  append returns the new events offset counting from 0"), out());
    }

    @Test
    void a_save_changes_the_fingerprint_watch_looks_at(@org.junit.jupiter.api.io.TempDir java.nio.file.Path folder)
            throws java.io.IOException {
        java.nio.file.Path source = folder.resolve("MyListLog.java");
        java.nio.file.Files.writeString(source, "class MyListLog {}");
        var before = WatchCommand.fingerprint(folder);
        assertEquals(before, WatchCommand.fingerprint(folder));
        java.nio.file.Files.writeString(source, "class MyListLog { }");
        assertTrue(!before.equals(WatchCommand.fingerprint(folder)), "a save must be noticed");
    }

    @Test
    void list_shows_every_lesson_with_progress() {
        assertEquals(0, run("list"));
        Course.lessons().forEach(lesson -> assertTrue(out().contains(lesson.title()), out()));
    }
}
