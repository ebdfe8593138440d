package toykafka.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import toykafka.WritesGeneratedData;
import toykafka.check.PristineStarters;
import toykafka.course.Course;

@WritesGeneratedData
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class MainTest {

    @Test
    void help_lists_every_command() {
        CommandRun help = CommandRun.of("--help");
        assertEquals(0, help.exitCode());
        for (String command : new String[] {"tour", "lesson", "step", "check", "hint", "list"}) {
            assertTrue(help.out().contains(command), "--help should mention " + command + ":\n" + help.out());
        }
    }

    @Test
    void every_command_prints_its_help_without_a_warning() {
        List<List<String>> commands = new ArrayList<>();
        collect(Main.commandLine(), new ArrayList<>(), commands);
        assertTrue(commands.size() > 20, "the walk found the commands: " + commands);
        for (List<String> command : commands) {
            List<String> args = new ArrayList<>(command);
            args.add("--help");
            CommandRun help = CommandRun.of(args.toArray(new String[0]));
            assertEquals(0, help.exitCode(), args + ": " + help.errors());
            // picocli reports a description it cannot format (a lone %) on the side, and prints it raw
            assertEquals("", help.reported() + help.errors(), "toykafka " + String.join(" ", args));
            assertTrue(help.out().startsWith("Usage: toykafka"), help.out());
        }
    }

    private static void collect(CommandLine line, List<String> path, List<List<String>> into) {
        into.add(path);
        for (Map.Entry<String, CommandLine> sub : line.getSubcommands().entrySet()) {
            if (!sub.getValue().getCommandSpec().name().equals(sub.getKey()) || sub.getKey().equals("help")) {
                continue; // an alias, or picocli's own help command
            }
            List<String> deeper = new ArrayList<>(path);
            deeper.add(sub.getKey());
            collect(sub.getValue(), deeper, into);
        }
    }

    @Test
    void a_lesson_that_does_not_exist_gets_a_one_line_error_naming_the_range_and_the_usage() {
        int last = Course.last().number();
        CommandRun lesson = CommandRun.of("lesson", "99");
        assertEquals(2, lesson.exitCode());
        String firstLine = lesson.errors().lines().findFirst().orElse("");
        assertTrue(firstLine.contains("there is no lesson 99: choose a lesson from 1 to " + last), firstLine);
        assertTrue(lesson.errors().contains("Usage: toykafka lesson"), lesson.errors());
    }

    @Test
    void a_lesson_number_that_is_not_a_number_is_refused() {
        assertRefused(CommandRun.of("step", "three"), "'three' is not a lesson number");
    }

    @Test
    void an_unknown_command_is_refused_with_usage() {
        assertRefused(CommandRun.of("frobnicate"), "Unmatched argument", "Usage: toykafka");
    }

    @Test
    void lesson_runs_the_narrated_demo() {
        CommandRun lesson = CommandRun.of("lesson", "1");
        assertEquals(0, lesson.exitCode());
        assertTrue(lesson.out().contains("=== Lesson 1: the log is a list ==="), lesson.out());
    }

    @Test
    void a_demo_that_needs_the_course_broker_refuses_another_cluster_and_names_the_lessons_that_take_one() {
        assertRefused(CommandRun.of("lesson", "5", "--bootstrap-server", "127.0.0.1:9192"),
                "lesson 5's demo runs on the course's own broker", "[13, 14, 15]");
        CommandRun help = CommandRun.of("lesson", "--help");
        assertTrue(help.out().replaceAll("\\s+", " ").contains("(lessons 13, 14 and 15)"),
                "the help names the same lessons: " + help.out());
    }

    @Test
    void hint_shows_one_hint_and_points_to_the_next() {
        CommandRun hint = CommandRun.of("hint", "1");
        assertEquals(0, hint.exitCode());
        assertTrue(hint.out().contains("Lesson 1, hint 1 of "), hint.out());
        assertTrue(hint.out().contains("./toykafka hint 1 2"), hint.out());
    }

    @Test
    void a_hint_number_out_of_range_names_the_range() {
        CommandRun hint = CommandRun.of("hint", "1", "42");
        assertEquals(2, hint.exitCode());
        assertTrue(hint.errors().startsWith("toykafka: lesson 1 has hints 1 to "), hint.errors());
    }

    @Test
    void check_on_an_untouched_starter_fails_with_concept_level_messages() {
        PristineStarters.assumePristine(Course.require(1));
        CommandRun check = CommandRun.of("check", "1");
        assertEquals(1, check.exitCode());
        assertTrue(check.out().contains("FAIL  append returns the new event's offset, counting from 0"), check.out());
        assertTrue(check.out().contains("not written yet: append() is yours to write"), check.out());
        assertTrue(!check.out().contains("\tat "), "no stack traces:\n" + check.out());
    }

    @Test
    void step_plays_a_notebook_straight_through_when_nobody_is_at_the_keyboard() {
        CommandRun step = CommandRun.of("step", "1", "--no-pause");
        assertEquals(0, step.exitCode());
        assertTrue(step.out().contains("jshell> log.append(\"cod\")\n==> 0"), step.out());
        assertTrue(step.out().contains("End of the notebook."), step.out());
    }

    @Test
    void watch_checks_first_and_then_waits_for_a_save() {
        PristineStarters.assumePristine(Course.require(1));
        CommandRun watch = CommandRun.of("watch", "1", "--checks", "1");
        assertEquals(0, watch.exitCode());
        assertTrue(watch.out().contains("FAIL  append returns the new event's offset, counting from 0"), watch.out());
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
        CommandRun list = CommandRun.of("list");
        assertEquals(0, list.exitCode());
        Course.lessons().forEach(lesson -> assertTrue(list.out().contains(lesson.title()), list.out()));
    }

    /** The command was refused as a usage error (exit code 2), its standard error saying each of these. */
    private static void assertRefused(CommandRun run, String... said) {
        assertEquals(2, run.exitCode());
        for (String words : said) {
            assertTrue(run.errors().contains(words), run.errors());
        }
    }
}
