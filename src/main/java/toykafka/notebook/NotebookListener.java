package toykafka.notebook;

/** Hears a notebook play, cell by cell. The player prints what it hears; the tests judge it. */
public interface NotebookListener {

    default void cellStarted(int cell, int cells) {
    }

    /** A comment line of prose, without its {@code //}. */
    default void narration(String text) {
    }

    /** A snippet about to be evaluated, starting at a line of the file (1-based). */
    default void snippet(int line, String source) {
    }

    /** The value a snippet produced, as JShell shows it. */
    default void value(String value) {
    }

    /** The exception a snippet threw, as "SimpleName: message". */
    default void exception(String description) {
    }

    /** Something is wrong with the notebook: a rejected snippet, an unexpected value or exception. */
    default void problem(NotebookProblem problem) {
    }

    /** True once the reader has asked to stop, even mid-cell: nothing more of the notebook is played. */
    default boolean quit() {
        return false;
    }

    /** Returns false to stop playing after this cell. */
    default boolean cellFinished(int cell, int cells) {
        return true;
    }
}
