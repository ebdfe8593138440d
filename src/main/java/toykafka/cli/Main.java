package toykafka.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import toykafka.check.CheckPrinter;
import toykafka.check.CheckReport;
import toykafka.check.ContractCheck;
import toykafka.course.Course;
import toykafka.course.Hints;
import toykafka.course.Lesson;
import toykafka.course.LessonReader;
import toykafka.narration.Narrator;
import toykafka.course.Tour;
import toykafka.notebook.Notebook;
import toykafka.notebook.NotebookPlayer;
import toykafka.notebook.NotebookProblem;

/** The course's command line: {@code ./toykafka [command]}. With no command it runs the tour. */
@Command(name = "toykafka", mixinStandardHelpOptions = true, version = "toykafka 0.1",
        description = "Apache Kafka, built one concept at a time. With no command, runs the course tour.",
        subcommands = {Main.TourCommand.class, Main.LessonCommand.class, Main.StepCommand.class,
                Main.ReadCommand.class, Main.CheckCommand.class, WatchCommand.class, Main.HintCommand.class, Main.ListCommand.class,
                DumpCommand.class, VerifyCommand.class, BenchCommand.class, CertsCommand.class, AnalyseCommand.class, BrokerCommand.class, KafkaCommand.class, TopicsCommand.class, GroupsCommand.class, ProduceCommand.class, ConsumeCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {


    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Main());
        BrokerCommand.addSettings(commandLine.getSubcommands().get("broker"));
        KafkaToolCommand.configure(commandLine.getSubcommands().get("kafka").getSubcommands().get("tool"));
        // A failing command says what went wrong in one line, not with a stack trace.
        commandLine.setExecutionExceptionHandler((error, cmd, parsed) -> {
            cmd.getErr().println("toykafka: " + error.getMessage());
            return 2;
        });
        // Wrong arguments: one line that says what is wrong, then the command's usage line.
        commandLine.setParameterExceptionHandler((error, args) -> {
            CommandLine cmd = error.getCommandLine();
            cmd.getErr().println("toykafka: " + error.getMessage());
            cmd.getErr().print("Usage: " + cmd.getHelp().synopsis(0));
            cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more.");
            return 2;
        });
        return commandLine;
    }

    /** Read at each use, so tests can capture what a command prints. */
    static PrintStream out() {
        return System.out;
    }

    /** Read at each use, so tests can feed a command its input. */
    static java.io.InputStream in() {
        return System.in;
    }

    /** Read at each use, so tests can capture what a command reports on the side. */
    static PrintStream err() {
        return System.err;
    }

    @Override
    public void run() {
        Tour.run(new Narrator(out()));
    }

    /** Turns "3" into lesson 3, or refuses with the range of lessons there are. */
    static final class LessonConverter implements CommandLine.ITypeConverter<Lesson> {
        @Override
        public Lesson convert(String text) {
            try {
                return Course.require(Integer.parseInt(text.strip()));
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException(
                        "'" + text + "' is not a lesson number: choose 1 to " + Course.last().number());
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    @Command(name = "tour", mixinStandardHelpOptions = true,
            description = "Runs every lesson's demo in order, narrated (the default command).")
    static final class TourCommand implements Runnable {
        @Override
        public void run() {
            Tour.run(new Narrator(out()));
        }
    }

    @Command(name = "lesson", mixinStandardHelpOptions = true, description = "Runs one lesson's narrated demo.")
    static final class LessonCommand implements Runnable {
        @Parameters(paramLabel = "N", description = "the lesson number", converter = LessonConverter.class)
        Lesson lesson;

        @Option(names = "--bootstrap-server", paramLabel = "HOST:PORT[,...]",
                description = "run the demo's Kafka programs on this cluster instead of the course's broker"
                        + " (lessons 13, 14 and 15); 'toykafka kafka start --nodes 3' starts one and prints its addresses")
        String bootstrap;

        @Override
        public void run() {
            if (bootstrap == null) {
                lesson.demo().accept(new Narrator(out()));
            } else {
                Course.demoOn(lesson, bootstrap, new Narrator(out()));
            }
        }
    }

    @Command(name = "step", mixinStandardHelpOptions = true,
            description = "Plays lesson N's notebook cell by cell, pausing between cells in a terminal.")
    static final class StepCommand implements Callable<Integer> {
        @Parameters(paramLabel = "N", description = "the lesson number", converter = LessonConverter.class)
        Lesson lesson;

        @Option(names = "--no-pause", description = "play straight through without waiting for Enter")
        boolean noPause;

        @Override
        public Integer call() {
            Path file = Path.of(lesson.notebookFile());
            if (!Files.isRegularFile(file)) {
                throw new UncheckedIOException(lesson.notebookFile() + " is not here: run toykafka from the"
                        + " project's top folder", new java.io.FileNotFoundException(file.toString()));
            }
            boolean interactive = Terminal.isInteractive() && !noPause;
            BufferedReader keyboard = interactive ? new BufferedReader(new InputStreamReader(System.in)) : null;
            NotebookPlayer player = new NotebookPlayer(out(), keyboard);
            List<NotebookProblem> problems = player.play(Notebook.read(file));
            out().println();
            if (problems.isEmpty() && player.stoppedEarly()) {
                out().println("Stopped. To experiment in JShell with the whole notebook run: jshell/start "
                        + lesson.number() + " --run");
                return 0;
            }
            if (problems.isEmpty()) {
                out().println("End of the notebook. To experiment from here: jshell/start " + lesson.number() + " --run");
                return 0;
            }
            out().println(problems.size() + " snippet(s) did not behave as the notebook says:");
            problems.forEach(problem -> out().println("  " + problem));
            return 1;
        }
    }

    @Command(name = "read", mixinStandardHelpOptions = true,
            description = "Prints lesson N's text with its code in place; name a section to read only that one.")
    static final class ReadCommand implements Runnable {
        @Parameters(index = "0", paramLabel = "N", description = "the lesson number", converter = LessonConverter.class)
        Lesson lesson;

        @Parameters(index = "1..*", paramLabel = "SECTION", arity = "0..*",
                description = "a section's title or its start, e.g. retention by count; 'hints' or 'solution'"
                        + " open the folded blocks")
        List<String> section;

        @Override
        public void run() {
            LessonReader reader = new LessonReader(Path.of(""));
            out().print(section == null || section.isEmpty()
                    ? reader.read(lesson) : reader.read(lesson, String.join(" ", section)));
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Runs lesson N's contract tests against your exercise class.")
    static final class CheckCommand implements Callable<Integer> {
        @Parameters(paramLabel = "N", description = "the lesson number", converter = LessonConverter.class)
        Lesson lesson;

        @Override
        public Integer call() {
            CheckReport report = ContractCheck.checkExercise(lesson);
            new CheckPrinter(out()).print(lesson, report);
            return report.allPassed() ? 0 : 1;
        }
    }

    @Command(name = "hint", mixinStandardHelpOptions = true, description = "Shows hint K for lesson N's exercise.")
    static final class HintCommand implements Runnable {
        @Parameters(index = "0", paramLabel = "N", description = "the lesson number", converter = LessonConverter.class)
        Lesson lesson;

        @Parameters(index = "1", paramLabel = "K", defaultValue = "1", description = "which hint (default: 1)")
        int which;

        @Override
        public void run() {
            List<String> hints = Hints.of(lesson);
            if (which < 1 || which > hints.size()) {
                throw new IllegalArgumentException("lesson " + lesson.number() + " has hints 1 to " + hints.size()
                        + ", not " + which);
            }
            out().println("Lesson " + lesson.number() + ", hint " + which + " of " + hints.size() + ":");
            out().println("  " + hints.get(which - 1));
            if (which < hints.size()) {
                out().println("Still stuck? ./toykafka hint " + lesson.number() + " " + (which + 1));
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Shows the course map and how far your exercises have come.")
    static final class ListCommand implements Runnable {
        @Override
        public void run() {
            out().printf("%-3s %-34s %-12s %s%n", "#", "lesson", "exercise", "in real Kafka");
            for (Lesson lesson : Course.lessons()) {
                CheckReport report = ContractCheck.checkExercise(lesson);
                String progress = !report.compiled() ? "no compile"
                        : report.allPassed() ? "done" : report.passed() + "/" + report.outcomes().size();
                out().printf("%-3d %-34s %-12s %s%n", lesson.number(), lesson.title(), progress, lesson.inKafka());
            }
            out().println();
            out().println("Step through a notebook: ./toykafka step N    Check your class: ./toykafka check N"
                    + " (or ./toykafka watch N)");
        }
    }
}
