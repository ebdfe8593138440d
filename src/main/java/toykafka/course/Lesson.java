package toykafka.course;

import java.util.List;
import java.util.function.Consumer;
import toykafka.narration.Narrator;

/**
 * One lesson of the course: where its parts live and what its concept is called in real Kafka.
 *
 * @param number        the lesson number; lessons/, jshell/ and the package share it
 * @param slug          the file-name part after the number, e.g. "the-log"
 * @param title         a short title for menus
 * @param concept       the idea the lesson adds, in a few words
 * @param inKafka       what Kafka calls it: the config and API names a learner will meet
 * @param demo          the narrated run of the concept
 * @param exerciseClass the starter class the learner completes
 * @param checkClass    the contract tests run against the starter (in the test sources)
 * @param referenceTests the same contracts run against the reference code, which must pass them
 */
public record Lesson(int number, String slug, String title, String concept, String inKafka,
                     Consumer<Narrator> demo, String exerciseClass, String checkClass,
                     List<String> referenceTests) {

    /** "01", as used in file names. */
    public String paddedNumber() {
        return String.format("%02d", number);
    }

    public String notebookFile() {
        return "jshell/" + paddedNumber() + "-" + slug + ".jsh";
    }

    public String lessonFile() {
        return "lessons/" + paddedNumber() + "-" + slug + ".adoc";
    }

    public String hintsResource() {
        return "/toykafka/hints/" + paddedNumber() + "-" + slug + ".txt";
    }
}
