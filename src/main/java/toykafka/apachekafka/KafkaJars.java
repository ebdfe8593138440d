package toykafka.apachekafka;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Apache Kafka's broker as Maven delivers it: the jars of kafka_2.13 and everything it needs at run time,
 * which the build copies to target/apache-kafka. They run in a JVM of their own, never on the course's class
 * path: the broker and its tools bring libraries (Scala, Jackson, Log4j) at versions of their own.
 */
public final class KafkaJars {

    /** Where the build copies them, from the project folder. */
    public static final Path FOLDER = Path.of("target", "apache-kafka");
    private static final Pattern BROKER_JAR = Pattern.compile("kafka_2\\.13-(\\d+\\.\\d+\\.\\d+)\\.jar");

    private final Path folder;
    private final String version;

    private KafkaJars(Path folder, String version) {
        this.folder = folder;
        this.version = version;
    }

    /** The jars in the project's target/apache-kafka. */
    public static KafkaJars inProject() {
        return in(FOLDER.toAbsolutePath());
    }

    /** The jars in {@code folder}, refused with what to run when the broker's jar is not there. */
    public static KafkaJars in(Path folder) {
        try (Stream<Path> files = Files.isDirectory(folder) ? Files.list(folder) : Stream.empty()) {
            for (Path file : files.toList()) {
                Matcher jar = BROKER_JAR.matcher(file.getFileName().toString());
                if (jar.matches()) {
                    return new KafkaJars(folder, jar.group(1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder + ": " + e.getMessage(), e);
        }
        throw new IllegalStateException("Apache Kafka's jars are not in " + folder + ": run ./toykafka once (or mvn"
                + " generate-test-resources), which has Maven copy them there from Maven Central");
    }

    /** Apache Kafka's version, read off its broker jar: 4.4.0. */
    public String version() {
        return version;
    }

    /** Every jar in the folder, as the JVM's wildcard class path entry. */
    public String classPath() {
        return folder + File.separator + "*";
    }
}
