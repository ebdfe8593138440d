package toykafka.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import toykafka.course.Course;
import toykafka.course.Lesson;

/**
 * The other half of "exercises have teeth": a learner who fills in the starter correctly passes
 * every check. A finished version of each starter (src/test/resources/filled-in) is compiled under
 * the starter's own name and put in front of it, and the lesson's check runs against it unchanged.
 */
class FilledInStartersTest {

    private static final Path FILLED_IN = Path.of("src/test/resources/filled-in");
    private static final String LEARNER_PACKAGE = "toykafka.exercises.";

    @TempDir
    Path classes;

    @TestFactory
    Stream<DynamicTest> a_correctly_filled_in_starter_passes_every_check() {
        return Course.lessons().stream().map(lesson -> DynamicTest.dynamicTest("lesson " + lesson.number(), () -> {
            Path output = Files.createDirectories(classes.resolve("lesson" + lesson.number()));
            compile(lesson, output);
            try (URLClassLoader learnersClasses = new LearnerFirstClassLoader(output)) {
                CheckReport report = ContractCheck.run(Class.forName(lesson.checkClass(), true, learnersClasses));
                assertTrue(report.outcomes().size() > 0, "the check ran no test");
                assertEquals(List.of(), report.outcomes().stream().filter(outcome -> !outcome.passed()).toList(),
                        "a correct " + lesson.exerciseClass() + " should pass every check");
            }
        }));
    }

    private static void compile(Lesson lesson, Path output) throws IOException {
        Path source = FILLED_IN.resolve(lesson.exerciseClass().replace('.', '/') + ".java");
        assertTrue(Files.isRegularFile(source), "lesson " + lesson.number() + " needs a filled-in starter at " + source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter messages = new StringWriter();
        boolean compiled = javac.getTask(messages, null, null,
                List.of("-d", output.toString(), "-cp", System.getProperty("java.class.path"), "--release", "17"),
                null, javac.getStandardFileManager(null, null, null).getJavaFileObjects(source.toFile())).call();
        assertTrue(compiled, "the filled-in starter does not compile:\n" + messages);
    }

    /** Loads the learner's package from the filled-in classes and the test classes first; the rest as usual. */
    private static final class LearnerFirstClassLoader extends URLClassLoader {

        LearnerFirstClassLoader(Path filledIn) throws IOException {
            super(new URL[] {filledIn.toUri().toURL(), Path.of("target/test-classes").toUri().toURL()},
                    FilledInStartersTest.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(LEARNER_PACKAGE)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded == null) {
                    loaded = findClass(name);
                }
                if (resolve) {
                    resolveClass(loaded);
                }
                return loaded;
            }
        }
    }
}
