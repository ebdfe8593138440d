package toykafka.narration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import toykafka.common.Directories;

/**
 * A demo's story as it is told: it writes under a folder of its own, may be interrupted, and waits on clients
 * that may fail or give up. {@link #run} reports any of that unchecked and names the lesson, so a demo's
 * {@code narrate}, which {@code ./toykafka lesson N} and the tour call, throws nothing checked.
 */
@FunctionalInterface
public interface Telling {

    void tell() throws IOException, InterruptedException, ExecutionException, TimeoutException;

    /** Tells the story of lesson {@code lesson}'s demo, which writes under {@code folder}. */
    static void run(int lesson, Path folder, Telling telling) {
        String demo = "the lesson " + lesson + " demo";
        try {
            telling.tell();
        } catch (IOException e) {
            throw new UncheckedIOException(demo + " could not use " + folder + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(demo + " was interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a Kafka client in " + demo + " failed: " + e.getCause(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("a Kafka client in " + demo + " had no answer in time: " + e.getMessage(),
                    e);
        }
    }

    /**
     * Tells lesson {@code lesson}'s demo from a clean start, so that it says the same every run: its title, then
     * {@code folder} emptied of what an earlier run wrote, then the story.
     */
    static void runAfresh(Narrator story, int lesson, String title, Path folder, Telling telling) {
        run(lesson, folder, () -> {
            story.title("Lesson " + lesson + ": " + title);
            Directories.deleteTree(folder);
            telling.tell();
        });
    }
}
