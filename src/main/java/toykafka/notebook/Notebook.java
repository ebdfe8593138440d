package toykafka.notebook;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A lesson notebook: a JShell script split into cells by blank lines.
 * <p>
 * Inside a cell, a {@code //} comment is prose, code is evaluated snippet by snippet, and two kinds
 * of comment state what the previous snippet shows, so the notebook doubles as a test:
 * <pre>
 * log.append("a")
 * // ==> 0
 * log.read(7)
 * // !! OffsetOutOfRangeException: offset 7 is out of range: valid offsets are 0..0
 * </pre>
 * A value that spans several lines takes one {@code // ==>} line per line. A snippet may span
 * several lines, but holds no blank line and no comment line.
 */
public record Notebook(Path file, List<Cell> cells) {

    static final String VALUE_MARK = "// ==>";
    static final String EXCEPTION_MARK = "// !!";

    /** One line of a cell, classified. */
    public sealed interface Line permits Prose, Code, ExpectedValue, ExpectedException {
        int number();
    }

    public record Prose(int number, String text) implements Line {
    }

    public record Code(int number, String text) implements Line {
    }

    public record ExpectedValue(int number, String text) implements Line {
    }

    public record ExpectedException(int number, String text) implements Line {
    }

    public record Cell(List<Line> lines) {
    }

    public static Notebook read(Path file) {
        try {
            return parse(file, Files.readAllLines(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read notebook " + file + ": " + e.getMessage(), e);
        }
    }

    static Notebook parse(Path file, List<String> text) {
        List<Cell> cells = new ArrayList<>();
        List<Line> current = new ArrayList<>();
        for (int i = 0; i < text.size(); i++) {
            String raw = text.get(i);
            String line = raw.stripLeading();
            int number = i + 1;
            if (line.isBlank()) {
                if (!current.isEmpty()) {
                    cells.add(new Cell(List.copyOf(current)));
                    current.clear();
                }
            } else if (line.startsWith(VALUE_MARK)) {
                current.add(new ExpectedValue(number, afterMark(line, VALUE_MARK)));
            } else if (line.startsWith(EXCEPTION_MARK)) {
                current.add(new ExpectedException(number, afterMark(line, EXCEPTION_MARK)));
            } else if (line.startsWith("//")) {
                current.add(new Prose(number, afterMark(line, "//").stripTrailing()));
            } else {
                current.add(new Code(number, raw));
            }
        }
        if (!current.isEmpty()) {
            cells.add(new Cell(List.copyOf(current)));
        }
        return new Notebook(file, List.copyOf(cells));
    }

    /** The text after a marker and the one space that follows it; later spaces are kept. */
    private static String afterMark(String line, String mark) {
        String rest = line.substring(mark.length());
        return rest.startsWith(" ") ? rest.substring(1) : rest;
    }
}
