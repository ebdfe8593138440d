package toykafka.broker.config;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Properties;
import toykafka.common.Directories;
import toykafka.common.InvalidConfigurationException;

/**
 * Which cluster a data directory belongs to, and which node wrote it: Kafka's {@code meta.properties}
 * ({@code version}, {@code cluster.id}, {@code node.id}). Written once, when the directory is new; checked at
 * every start after, so a broker never serves another cluster's data, or another node's, by mistake.
 * Clients see both in Metadata, and some (librdkafka, Admin's describeCluster) compare the cluster id
 * across connections.
 *
 * @param clusterId the cluster's id: 16 random bytes in URL-safe base64 without padding, 22 characters
 * @param nodeId    this broker's id
 */
public record MetaProperties(String clusterId, int nodeId) {

    /** The file, in the data directory. */
    public static final String FILE = "meta.properties";
    /** The layout of the file: Kafka's KRaft brokers write version 1. */
    static final int VERSION = 1;
    private static final SecureRandom RANDOM = new SecureRandom();

    // tag::load[]
    /**
     * The identity stored in {@code dataDir}, checked against the settings; or, in a new directory, the
     * settings' (with a new random cluster id if none is set), stored first.
     *
     * @throws InvalidConfigurationException if a setting disagrees with the stored value, naming both and the file
     */
    public static MetaProperties loadOrCreate(Path dataDir, int nodeId, Optional<String> clusterId) {
        Path file = dataDir.resolve(FILE);
        if (!Files.exists(file)) {
            MetaProperties created = new MetaProperties(clusterId.orElseGet(MetaProperties::randomClusterId), nodeId);
            created.write(file);
            return created;
        }
        MetaProperties stored = read(file);
        if (clusterId.isPresent() && !clusterId.get().equals(stored.clusterId())) {
            throw new InvalidConfigurationException("cluster.id is " + clusterId.get() + " but the data directory"
                    + " belongs to cluster " + stored.clusterId() + " (" + file + "): use that cluster's id, or"
                    + " another data directory");
        }
        if (nodeId != stored.nodeId()) {
            throw new InvalidConfigurationException("node.id is " + nodeId + " but the data directory was written"
                    + " by node " + stored.nodeId() + " (" + file + "): start with node.id=" + stored.nodeId()
                    + ", or use another data directory");
        }
        return stored;
    }
    // end::load[]

    /** A new cluster id as Kafka makes one ({@code Uuid.randomUuid()}): 16 random bytes, URL-safe base64. */
    public static String randomClusterId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether {@code text} is a cluster id as Kafka's tools accept one: 16 bytes in 22 characters of URL-safe base64. */
    public static boolean isClusterId(String text) {
        if (!text.matches("[A-Za-z0-9_-]{22}")) {
            return false;
        }
        byte[] bytes = Base64.getUrlDecoder().decode(text);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(text); // no stray low bits
    }

    private void write(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Directories.writeAtomically(file, "# Which cluster this data directory belongs to, and which"
                    + " node wrote it. Checked at every start.\nversion=" + VERSION + "\ncluster.id=" + clusterId
                    + "\nnode.id=" + nodeId + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e, e);
        }
    }

    private static MetaProperties read(Path file) {
        Properties stored = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            stored.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e, e);
        }
        String version = stored.getProperty("version", "").trim();
        String clusterId = stored.getProperty("cluster.id", "").trim();
        String nodeId = stored.getProperty("node.id", "").trim();
        if (!version.equals(String.valueOf(VERSION)) || clusterId.isEmpty() || !nodeId.matches("\\d{1,9}")) {
            throw new IllegalStateException(file + " must hold version=" + VERSION + ", a cluster.id and a node.id"
                    + " (0 or more); it holds version=" + version + ", cluster.id=" + clusterId + ", node.id="
                    + nodeId + ". Restore it, or remove it to start the directory as a new node of a new cluster");
        }
        return new MetaProperties(clusterId, Integer.parseInt(nodeId));
    }
}
