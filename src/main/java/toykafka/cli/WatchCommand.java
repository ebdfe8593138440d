package toykafka.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import toykafka.check.CheckPrinter;
import toykafka.check.ContractCheck;
import toykafka.course.Lesson;

/** Checks lesson N's exercise, then again every time its file is saved, until Ctrl-C. */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = "Checks lesson N's exercise, then again on every save (Ctrl-C to stop).")
final class WatchCommand implements Callable<Integer> {

    @Parameters(paramLabel = "N", description = "the lesson number", converter = Main.LessonConverter.class)
    Lesson lesson;

    @Option(names = "--interval-ms", defaultValue = "300", description = "how often to look for a save (default: 300)")
    long intervalMillis;

    @Option(names = "--checks", defaultValue = "0", hidden = true,
            description = "stop after this many checks; 0 watches until interrupted")
    int maxChecks;

    @Override
    public Integer call() throws InterruptedException {
        Path folder = exerciseFolder(lesson);
        List<String> seen = fingerprint(folder);
        int checks = 0;
        while (true) {
            Main.out().println("----- " + java.time.LocalTime.now().withNano(0) + " -----");
            new CheckPrinter(Main.out()).print(lesson, ContractCheck.checkExercise(lesson));
            checks++;
            if (maxChecks > 0 && checks >= maxChecks) {
                return 0;
            }
            Main.out().println();
            Main.out().println("Watching " + folder + " for your next save; Ctrl-C to stop.");
            List<String> now;
            do {
                Thread.sleep(intervalMillis);
                now = fingerprint(folder);
            } while (now.equals(seen));
            seen = now;
        }
    }

    static Path exerciseFolder(Lesson lesson) {
        String className = lesson.exerciseClass();
        return Path.of("src/exercises/java", className.substring(0, className.lastIndexOf('.')).replace('.', '/'));
    }

    /** Each source's name, size and time of last change: a save changes at least one of them. */
    static List<String> fingerprint(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.toString().endsWith(".java")).sorted().map(file -> {
                try {
                    return file.getFileName() + " " + Files.size(file) + " " + Files.getLastModifiedTime(file).toMillis();
                } catch (IOException e) {
                    return file.getFileName() + " (gone)"; // an editor replacing the file as it saves
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot look into " + folder, e);
        }
    }
}
