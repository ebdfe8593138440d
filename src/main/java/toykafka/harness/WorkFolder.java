package toykafka.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import toykafka.common.Directories;

/**
 * A folder of a benchmark's own, made fresh under the folder it was given and removed with everything in it
 * when the run ends, however it ends. Nothing else under the given folder is touched.
 */
public final class WorkFolder implements AutoCloseable {

    private final Path path;

    private WorkFolder(Path path) {
        this.path = path;
    }

    /** A new folder under {@code parent} (made if need be), its name starting with {@code prefix}. */
    public static WorkFolder under(Path parent, String prefix) {
        try {
            Files.createDirectories(parent);
            return new WorkFolder(Files.createTempDirectory(parent, prefix));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a folder to work in under " + parent + ": " + e.getMessage(), e);
        }
    }

    public Path path() {
        return path;
    }

    public Path resolve(String name) {
        return path.resolve(name);
    }

    /** Removes the folder; what cannot be removed is named on stderr and left, for the report is what matters. */
    @Override
    public void close() {
        try {
            Directories.deleteTree(path);
        } catch (IOException e) {
            System.err.println("could not remove " + path + ": " + e.getMessage());
        }
    }

    /** Removes a folder a run made inside its work folder, or throws, naming it. */
    public static void delete(Path folder) {
        try {
            Directories.deleteTree(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + folder + ": " + e.getMessage(), e);
        }
    }

    /**
     * Removes a folder a run made inside its work folder, if it can: what is left goes with the work folder at
     * the end of the run.
     */
    public static void deleteQuietly(Path folder) {
        try {
            Directories.deleteTree(folder);
        } catch (IOException e) {
            // the work folder goes at the end anyway
        }
    }
}
