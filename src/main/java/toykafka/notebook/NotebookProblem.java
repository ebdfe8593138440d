package toykafka.notebook;

import java.nio.file.Path;

/** A snippet that did not do what its notebook says, located by file and line. */
public record NotebookProblem(Path file, int line, String snippet, String message) {

    @Override
    public String toString() {
        return file + ":" + line + ": " + message + "\n    in: " + snippet.strip().replace("\n", "\n        ");
    }
}
