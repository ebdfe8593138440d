package toykafka.check;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import toykafka.common.Directories;
import toykafka.course.Lesson;

/**
 * Compiles one lesson's exercise, with the JDK's own compiler, against the classes already built.
 * Maven never compiles the exercises, so a starter that does not compile breaks its own check only;
 * and one small compile takes a second, where a Maven run takes many.
 */
public final class ExerciseCompiler {

    /**
     * What came of a compile.
     *
     * @param classes where the class files went
     * @param errors  the compiler's errors, each as "File.java, line N: message" plus the line itself;
     *                empty when it compiled
     */
    public record Compiled(Path classes, List<String> errors) {
        public boolean ok() {
            return errors.isEmpty();
        }
    }

    private ExerciseCompiler() {
    }

    /**
     * Compiles every source in the lesson's exercise package under {@code exerciseRoot}, together with
     * the lesson's check class from {@code checkRoot}, into a fresh {@code output} folder.
     */
    public static Compiled compile(Lesson lesson, Path exerciseRoot, Path checkRoot, Path output) {
        Path exercisePackage = exerciseRoot.resolve(packagePath(lesson.exerciseClass()));
        Path check = checkRoot.resolve(lesson.checkClass().replace('.', '/') + ".java");
        List<File> sources = new ArrayList<>(javaFilesIn(exercisePackage));
        sources.add(check.toFile());
        deleteRecursively(output);
        try {
            Files.createDirectories(output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + output, e);
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("this Java has no compiler: run toykafka with a JDK, not a JRE");
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            List<String> options = List.of("-d", output.toString(), "-cp", builtClassPath(),
                    "--release", "17", "-proc:none", "-implicit:none", "-encoding", "UTF-8");
            javac.getTask(null, files, diagnostics, options, null, files.getJavaFileObjectsFromFiles(sources)).call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> errors = diagnostics.getDiagnostics().stream()
                .filter(diagnostic -> diagnostic.getKind() == Diagnostic.Kind.ERROR)
                .map(ExerciseCompiler::describe)
                .toList();
        return new Compiled(output, errors);
    }

    /** A class loader that takes the learner's package from {@code classes} and everything else as usual. */
    public static URLClassLoader loaderFor(Path classes) {
        try {
            return new LearnerFirstClassLoader(classes.toUri().toURL(), ExerciseCompiler.class.getClassLoader());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String describe(Diagnostic<? extends JavaFileObject> diagnostic) {
        String message = diagnostic.getMessage(Locale.ROOT);
        if (diagnostic.getSource() == null) {
            return message;
        }
        Path file = Path.of(diagnostic.getSource().toUri());
        StringBuilder text = new StringBuilder(file.getFileName() + ", line " + diagnostic.getLineNumber() + ": "
                + message);
        sourceLine(file, diagnostic.getLineNumber()).ifPresent(line -> {
            text.append('\n').append("    ").append(line.stripTrailing());
            long column = diagnostic.getColumnNumber();
            if (column > 0) {
                text.append('\n').append("    ").append(" ".repeat((int) column - 1)).append('^');
            }
        });
        if (file.getFileName().toString().endsWith("Check.java")) {
            text.append("\n(That line is in the lesson's check, which calls your class: keep the starter's"
                    + " class name, constructor and public methods as they were.)");
        }
        return text.toString();
    }

    private static java.util.Optional<String> sourceLine(Path file, long number) {
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return number < 1 ? java.util.Optional.empty() : lines.skip(number - 1).findFirst();
        } catch (IOException | UncheckedIOException e) {
            return java.util.Optional.empty();
        }
    }

    private static List<File> javaFilesIn(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalStateException(folder + " is missing: run toykafka from the project's top folder");
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.toString().endsWith(".java")).sorted().map(Path::toFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    private static String packagePath(String className) {
        return className.substring(0, className.lastIndexOf('.')).replace('.', '/');
    }

    /**
     * The classes this program runs with: the JVM's class path, and, under a launcher such as Maven's
     * exec:java that loads the project through its own class loader, that loader's jars and folders.
     */
    static String builtClassPath() {
        Set<String> entries = new LinkedHashSet<>();
        for (ClassLoader loader = ExerciseCompiler.class.getClassLoader(); loader != null; loader = loader.getParent()) {
            if (loader instanceof URLClassLoader urls) {
                for (URL url : urls.getURLs()) {
                    try {
                        entries.add(Path.of(url.toURI()).toString());
                    } catch (URISyntaxException | IllegalArgumentException e) {
                        // not a local file: javac could not read it anyway
                    }
                }
            }
        }
        entries.addAll(List.of(System.getProperty("java.class.path").split(File.pathSeparator)));
        return String.join(File.pathSeparator, entries);
    }

    static void deleteRecursively(Path folder) {
        try {
            Directories.deleteTree(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + folder, e);
        }
    }


    /** Loads toykafka.exercises.* from the freshly compiled classes first, so each check sees the latest edit. */
    private static final class LearnerFirstClassLoader extends URLClassLoader {

        private static final String LEARNER_PACKAGE = "toykafka.exercises.";

        LearnerFirstClassLoader(URL classes, ClassLoader parent) {
            super(new URL[] {classes}, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(LEARNER_PACKAGE)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded == null) {
                    try {
                        loaded = findClass(name);
                    } catch (ClassNotFoundException notCompiledHere) {
                        return super.loadClass(name, resolve);
                    }
                }
                if (resolve) {
                    resolveClass(loaded);
                }
                return loaded;
            }
        }
    }
}
