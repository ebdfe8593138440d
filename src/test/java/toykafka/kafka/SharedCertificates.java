package toykafka.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import toykafka.tools.ThrowawayCa;

/**
 * One throwaway CA and broker certificate (for 127.0.0.1, no client certificates) for the test classes of a build
 * that need nothing else, in target/shared-certificates: keytool's eight JVMs take a quarter of a minute on a busy
 * machine, once per build rather than once per class. The first test JVM to want it makes it aside and renames it
 * into place, so another never sees half of it; one older than its certificates' 90 days' half is not reused.
 */
final class SharedCertificates {

    static final String PASSWORD = "course-secret";
    private static final Duration REUSED_FOR = Duration.ofDays(45);
    private static ThrowawayCa.Material made;

    private SharedCertificates() {
    }

    static synchronized ThrowawayCa.Material get() {
        if (made == null) {
            made = find();
        }
        return made;
    }

    private static ThrowawayCa.Material find() {
        try {
            Path shared = target().resolve("shared-certificates");
            if (fresh(shared)) {
                return material(shared);
            }
            Path aside = Files.createTempDirectory(target(), "shared-certificates-");
            ThrowawayCa.make(aside.resolve("ca"), "127.0.0.1", List.of(), PASSWORD);
            if (Files.exists(shared)) { // stale: this build's classes use their own
                return material(aside.resolve("ca"));
            }
            try {
                Files.move(aside.resolve("ca"), shared, StandardCopyOption.ATOMIC_MOVE);
                Files.delete(aside);
                return material(shared);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                return material(aside.resolve("ca")); // another JVM was first, or the move cannot be atomic
            } catch (IOException e) {
                if (fresh(shared)) { // a non-empty folder was there first: Linux says so this way
                    return material(shared);
                }
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean fresh(Path shared) throws IOException {
        return Files.exists(shared.resolve("truststore.p12")) && Files.getLastModifiedTime(shared).toInstant()
                .isAfter(Instant.now().minus(REUSED_FOR));
    }

    /** The files as {@link ThrowawayCa} names them. */
    private static ThrowawayCa.Material material(Path folder) {
        return new ThrowawayCa.Material(folder, PASSWORD, folder.resolve("ca.pem"), folder.resolve("truststore.p12"),
                folder.resolve("broker.keystore.p12"), folder.resolve("broker.pem"), folder.resolve("broker.key"),
                Map.of());
    }

    /** target/, found from the test classes so that it holds whatever the working directory. */
    private static Path target() {
        try {
            return Path.of(SharedCertificates.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot tell where the test classes are", e);
        }
    }
}
