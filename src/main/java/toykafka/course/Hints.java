package toykafka.course;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A lesson's exercise hints, one per line that starts with ". ". The lesson text includes the same
 * file as a numbered list, so the book and the command line can never disagree.
 */
public final class Hints {

    private Hints() {
    }

    public static List<String> of(Lesson lesson) {
        try (InputStream in = Hints.class.getResourceAsStream(lesson.hintsResource())) {
            if (in == null) {
                throw new IllegalStateException("lesson " + lesson.number() + " has no hints file "
                        + lesson.hintsResource());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> line.startsWith(". "))
                    .map(line -> line.substring(2).strip())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
