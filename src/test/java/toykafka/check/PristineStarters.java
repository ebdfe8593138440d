package toykafka.check;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Collectors;
import toykafka.course.Lesson;

/**
 * Knows whether a starter is still exactly as the course ships it. Tests that need an untouched
 * starter run only then: a learner who has solved an exercise must still see the suite pass. On CI,
 * where starters are always untouched, a difference is an error: someone changed a starter without
 * saying so in {@value #LIST_FILE}.
 */
public final class PristineStarters {

    static final String LIST_FILE = "src/test/resources/pristine-starters.sha256";

    private static final java.util.Set<Integer> SAID = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private PristineStarters() {
    }

    public static Path sourceOf(Lesson lesson) {
        return Path.of("src/exercises/java", lesson.exerciseClass().replace('.', '/') + ".java");
    }

    /** Skips the calling test unless the lesson's starter is untouched; on CI, fails instead. */
    public static void assumePristine(Lesson lesson) {
        Path source = sourceOf(lesson);
        String actual = sha256(source);
        String expected = listed().get(source.toString());
        boolean pristine = actual.equals(expected);
        if (!pristine && "true".equals(System.getenv("CI"))) {
            fail(source + " is not the starter listed in " + LIST_FILE + ". If it changed on purpose, its line"
                    + " there should read: " + actual + "  " + source);
        }
        String why = "your " + CheckPrinter.simpleName(lesson.exerciseClass())
                + " is no longer the untouched starter, so the checks that need the untouched one are skipped";
        // Maven reports a skipped test as a bare count; say why once per lesson, where it can be read.
        if (!pristine && SAID.add(lesson.number())) {
            System.out.println("[toykafka] lesson " + lesson.number() + ": " + why
                    + " (expected once you have worked on the exercise; ./toykafka check " + lesson.number()
                    + " checks your class)");
        }
        assumeTrue(pristine, why);
    }

    private static Map<String, String> listed() {
        try {
            return Files.readAllLines(Path.of(LIST_FILE)).stream()
                    .filter(line -> !line.isBlank())
                    .map(line -> line.split("\\s+", 2))
                    .collect(Collectors.toMap(fields -> fields[1].strip(), fields -> fields[0]));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + LIST_FILE, e);
        }
    }

    static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }
}
