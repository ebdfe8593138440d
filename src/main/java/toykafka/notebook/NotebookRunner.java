package toykafka.notebook;

import java.io.File;
import java.io.PrintStream;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;

/**
 * Plays a notebook through the JDK's JShell API, snippet by snippet, and checks each snippet
 * against what the notebook says it shows.
 */
public final class NotebookRunner {

    /** The imports the jshell tool's DEFAULT startup makes, so a notebook behaves the same in both. */
    static final List<String> JSHELL_DEFAULT_IMPORTS = List.of(
            "java.io.*", "java.math.*", "java.net.*", "java.nio.file.*", "java.util.*", "java.util.concurrent.*",
            "java.util.function.*", "java.util.prefs.*", "java.util.regex.*", "java.util.stream.*");

    private final String classPath;
    private final PrintStream snippetOutput;

    /**
     * @param classPath     where the lesson classes are, for the snippets' compiler
     * @param snippetOutput where snippets' own printing goes
     */
    public NotebookRunner(String classPath, PrintStream snippetOutput) {
        this.classPath = classPath;
        this.snippetOutput = snippetOutput;
    }

    /** Compiles snippets against the classes this program runs with, wherever they were loaded from. */
    public static NotebookRunner withOwnClassPath(PrintStream snippetOutput) {
        return new NotebookRunner(ownClassPath(), snippetOutput);
    }

    /**
     * The JVM's class path, plus what the context class loaders add: Maven's exec:java, for one, runs
     * the program from a class loader of its own and leaves java.class.path pointing at Maven.
     */
    static String ownClassPath() {
        Set<String> entries = new LinkedHashSet<>();
        for (ClassLoader loader = Thread.currentThread().getContextClassLoader(); loader != null;
                loader = loader.getParent()) {
            if (loader instanceof URLClassLoader urls) {
                for (URL url : urls.getURLs()) {
                    if ("file".equals(url.getProtocol())) {
                        entries.add(Path.of(URI.create(url.toString())).toString());
                    }
                }
            }
        }
        entries.addAll(List.of(System.getProperty("java.class.path").split(File.pathSeparator)));
        return String.join(File.pathSeparator, entries);
    }

    /** Plays every cell, telling the listener as it goes; returns the problems found. */
    public List<NotebookProblem> play(Notebook notebook, NotebookListener listener) {
        List<NotebookProblem> problems = new ArrayList<>();
        // Snippets run in this JVM: several times faster than JShell's default of a separate one.
        try (JShell shell = JShell.builder()
                .executionEngine(new InProcessEngine(), Map.of())
                .out(snippetOutput)
                .err(snippetOutput)
                .build()) {
            shell.addToClasspath(classPath);
            JSHELL_DEFAULT_IMPORTS.forEach(imported -> shell.eval("import " + imported + ";"));
            CellPlayer player = new CellPlayer(notebook, shell, listener, problems);
            int count = notebook.cells().size();
            for (int i = 0; i < count; i++) {
                listener.cellStarted(i + 1, count);
                player.play(notebook.cells().get(i));
                if (listener.quit() || !listener.cellFinished(i + 1, count)) {
                    break;
                }
            }
        }
        return problems;
    }

    /** Plays one cell at a time, pairing each snippet with the expectations that follow it. */
    private static final class CellPlayer {
        private final Notebook notebook;
        private final JShell shell;
        private final NotebookListener listener;
        private final List<NotebookProblem> problems;

        private Outcome last;
        private final List<String> expectedValue = new ArrayList<>();
        private String expectedException;

        CellPlayer(Notebook notebook, JShell shell, NotebookListener listener, List<NotebookProblem> problems) {
            this.notebook = notebook;
            this.shell = shell;
            this.listener = listener;
            this.problems = problems;
        }

        void play(Notebook.Cell cell) {
            StringBuilder pending = new StringBuilder();
            int pendingLine = 0;
            for (Notebook.Line line : cell.lines()) {
                if (line instanceof Notebook.Code code) {
                    if (pending.isEmpty()) {
                        settleExpectations();
                        pendingLine = code.number();
                    }
                    pending.append(code.text()).append('\n');
                    String rest = evaluateCompleteSnippets(pending.toString(), pendingLine);
                    pending.setLength(0);
                    pending.append(rest);
                } else if (line instanceof Notebook.Prose prose) {
                    listener.narration(prose.text());
                    if (listener.quit()) {
                        settleExpectations();
                        return; // the reader stopped at a prediction: its answer stays unshown
                    }
                } else if (line instanceof Notebook.ExpectedValue value) {
                    expectedValue.add(value.text());
                } else if (line instanceof Notebook.ExpectedException exception) {
                    expectedException = exception.text();
                }
            }
            if (!pending.toString().isBlank()) {
                report(pendingLine, pending.toString(), "the snippet is incomplete at the end of its cell"
                        + " (a blank line ends a cell; keep multi-line snippets free of blank lines)");
            }
            settleExpectations();
        }

        /** Evaluates each complete snippet in {@code source}; returns the unfinished remainder. */
        private String evaluateCompleteSnippets(String source, int line) {
            SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
            String remaining = source;
            while (!remaining.isBlank()) {
                SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
                if (!info.completeness().isComplete()) {
                    return remaining;
                }
                settleExpectations();
                evaluate(line, info.source());
                remaining = info.remaining();
            }
            return "";
        }

        private void evaluate(int line, String source) {
            listener.snippet(line, source.strip());
            last = new Outcome(line, source, null, null);
            for (SnippetEvent event : shell.eval(source)) {
                if (event.causeSnippet() != null) {
                    continue; // a knock-on update of an earlier snippet, not this one's result
                }
                Snippet snippet = event.snippet();
                switch (event.status()) {
                    case REJECTED -> {
                        report(line, source, "JShell rejected the snippet: " + diagnostics(snippet));
                        last = Outcome.failed(line, source);
                    }
                    case RECOVERABLE_DEFINED, RECOVERABLE_NOT_DEFINED -> {
                        report(line, source, "the snippet refers to something undefined: " + unresolved(snippet));
                        last = Outcome.failed(line, source);
                    }
                    default -> {
                        if (event.exception() != null) {
                            String thrown = describe(event.exception());
                            listener.exception(thrown);
                            last = new Outcome(line, source, null, thrown);
                        } else if (showsValue(snippet) && event.value() != null) {
                            listener.value(event.value());
                            last = new Outcome(line, source, event.value(), null);
                        }
                    }
                }
            }
        }

        /** Compares the last snippet's outcome with what the notebook said, then forgets both. */
        private void settleExpectations() {
            if (last == null) {
                if (!expectedValue.isEmpty() || expectedException != null) {
                    report(0, "", "an expected value or exception comes before any snippet in its cell");
                }
            } else if (!last.broken) { // a rejected snippet was reported already; its expectations cannot be judged
                judge(last);
            }
            last = null;
            expectedValue.clear();
            expectedException = null;
        }

        private void judge(Outcome outcome) {
            if (expectedException != null) {
                if (outcome.exception == null) {
                    report(outcome.line, outcome.source, "expected it to throw " + expectedException + " but it did not");
                } else if (!outcome.exception.equals(expectedException)) {
                    report(outcome.line, outcome.source, "expected it to throw " + expectedException
                            + "\n    but it threw " + outcome.exception);
                }
            } else if (outcome.exception != null) {
                report(outcome.line, outcome.source, "it threw " + outcome.exception);
            } else if (expectedValue.isEmpty()) {
                if (outcome.value != null) {
                    report(outcome.line, outcome.source, "it shows a value the notebook does not state: add the line"
                            + " '// ==> " + outcome.value.lines().findFirst().orElse("") + "' after it, or make it a"
                            + " statement if the value changes from run to run");
                }
            } else if (!sameText(String.join("\n", expectedValue), outcome.value)) {
                report(outcome.line, outcome.source, "expected the value\n" + String.join("\n", expectedValue)
                        + "\n    but it was\n" + outcome.value);
            }
        }

        private void report(int line, String source, String message) {
            NotebookProblem problem = new NotebookProblem(notebook.file(), line, source, message);
            problems.add(problem);
            listener.problem(problem);
        }

        private String diagnostics(Snippet snippet) {
            return shell.diagnostics(snippet).map(d -> d.getMessage(Locale.ROOT)).collect(Collectors.joining("; "));
        }

        private String unresolved(Snippet snippet) {
            if (snippet instanceof DeclarationSnippet declaration) {
                return shell.unresolvedDependencies(declaration).collect(Collectors.joining(", "));
            }
            return diagnostics(snippet);
        }
    }

    private record Outcome(int line, String source, String value, String exception, boolean broken) {
        Outcome(int line, String source, String value, String exception) {
            this(line, source, value, exception, false);
        }

        static Outcome failed(int line, String source) {
            return new Outcome(line, source, null, null, true);
        }
    }

    private static boolean showsValue(Snippet snippet) {
        return snippet.kind() == Snippet.Kind.EXPRESSION || snippet.kind() == Snippet.Kind.VAR;
    }

    /** Trailing spaces do not count: editors strip them from the notebook's comment lines. */
    private static boolean sameText(String expected, String actual) {
        return actual != null && normalise(expected).equals(normalise(actual));
    }

    private static String normalise(String text) {
        return text.lines().map(String::stripTrailing).collect(Collectors.joining("\n")).stripTrailing();
    }

    static String describe(Exception thrown) {
        String className;
        if (thrown instanceof EvalException eval) {
            className = eval.getExceptionClassName();
        } else if (thrown instanceof UnresolvedReferenceException) {
            className = "UnresolvedReferenceException";
        } else {
            className = thrown.getClass().getName();
        }
        String simpleName = className.substring(className.lastIndexOf('.') + 1);
        return simpleName + ": " + thrown.getMessage();
    }
}
