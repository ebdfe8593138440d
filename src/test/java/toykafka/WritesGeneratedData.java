package toykafka;

import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Marks a test class that writes under {@code data/generated}, where the lessons' demos, the tour and the
 * notebooks keep their files at fixed paths. The suite runs in several JVMs at once; classes marked so hold a
 * file lock while they run, so two of them never rewrite the same lesson's files together.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(WritesGeneratedData.Lock.class)
public @interface WritesGeneratedData {

    /** Holds {@code target/data-generated.lock} from before the class's first test until after its last. */
    final class Lock implements BeforeAllCallback {

        private static final Path LOCK_FILE = Path.of("target", "data-generated.lock");

        @Override
        public void beforeAll(ExtensionContext context) throws IOException {
            Files.createDirectories(LOCK_FILE.getParent());
            FileChannel channel = FileChannel.open(LOCK_FILE, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.lock(); // waits while a writer in the other JVM runs
            // released when the class's context closes, after its last test
            context.getStore(ExtensionContext.Namespace.create(Lock.class)).put(Held.class, new Held(channel, lock));
        }

        private record Held(FileChannel channel, FileLock lock) implements ExtensionContext.Store.CloseableResource {
            @Override
            public void close() throws IOException {
                lock.release();
                channel.close();
            }
        }
    }
}
