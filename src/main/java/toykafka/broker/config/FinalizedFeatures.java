package toykafka.broker.config;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import toykafka.common.Directories;
import toykafka.common.InvalidConfigurationException;

/**
 * The feature levels an UpdateFeatures changed from those this broker finalizes when new, and the epoch of the
 * finalized levels, which moves on every change. Kafka's controllers keep each level as a
 * {@code FeatureLevelRecord} in the metadata log and take the epoch from its offset; this broker keeps the
 * changed levels and a counter in one file of its data directory, {@value #FILE}, written whole and renamed
 * over the old one, so a restart keeps what was finalized. With storage=memory they last until the broker stops.
 */
public final class FinalizedFeatures {

    /** The file in the data directory that holds the changed levels and the epoch. */
    public static final String FILE = "finalized-features.properties";
    private static final String EPOCH = "epoch";

    private final Path file; // null: in memory only
    private final Map<String, Short> changed = new TreeMap<>();
    private long epoch;

    private FinalizedFeatures(Path file) {
        this.file = file;
    }

    /** The levels kept in {@code dataDir}'s file, or none changed yet (epoch 0) when it has none. */
    public static FinalizedFeatures open(Path dataDir) {
        FinalizedFeatures features = new FinalizedFeatures(dataDir.resolve(FILE));
        if (Files.exists(features.file)) {
            features.read();
        }
        return features;
    }

    /** No level changed, kept in memory only. */
    public static FinalizedFeatures inMemory() {
        return new FinalizedFeatures(null);
    }

    /** The levels changed, by name (0: a feature no longer finalized), and their epoch (0 until the first change). */
    public record Levels(Map<String, Short> changed, long epoch) {
    }

    /** The levels changed and their epoch, read together. */
    public synchronized Levels levels() {
        return new Levels(Collections.unmodifiableMap(new TreeMap<>(changed)), epoch);
    }

    /** Sets these levels together, written to the file before they are in force, and moves the epoch on. */
    public synchronized void update(Map<String, Short> levels) {
        Map<String, Short> next = new TreeMap<>(changed);
        next.putAll(levels);
        if (file != null) {
            StringBuilder text = new StringBuilder(EPOCH + "=" + (epoch + 1) + "\n");
            next.forEach((name, level) -> text.append(name).append('=').append(level).append('\n'));
            try {
                Directories.writeAtomically(file, text.toString());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the finalized features to " + file, e);
            }
        }
        changed.clear();
        changed.putAll(next);
        epoch++;
    }

    private void read() {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the finalized features in " + file, e);
        }
        for (String name : properties.stringPropertyNames()) {
            String value = properties.getProperty(name).trim();
            try {
                if (name.equals(EPOCH)) {
                    epoch = Long.parseLong(value);
                } else {
                    changed.put(name, Short.parseShort(value));
                }
            } catch (NumberFormatException e) {
                throw new InvalidConfigurationException("the file " + file + " gives " + name + " the value '" + value
                        + "', which is not a number: set it to a level from 0 to 32767 or remove the line");
            }
        }
    }
}
