package toykafka.harness;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Where kcat, librdkafka's command-line client, lies on a PATH: the one lookup the benchmarks and tests share. */
public final class KcatBinary {

    /** Its name since 1.7, then the name it had before, which older distributions still ship. */
    private static final List<String> NAMES = List.of("kcat", "kafkacat");

    private KcatBinary() {
    }

    /** kcat on this process's PATH, if it has one. */
    public static Optional<Path> onPath() {
        return onPath(System.getenv().getOrDefault("PATH", ""));
    }

    /** kcat, or else kafkacat, in the first directory of {@code pathVariable} that holds it as an executable file. */
    public static Optional<Path> onPath(String pathVariable) {
        for (String name : NAMES) {
            for (String dir : pathVariable.split(File.pathSeparator)) {
                if (dir.isEmpty()) {
                    continue;
                }
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}
