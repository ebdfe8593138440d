package toykafka.broker.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import toykafka.common.Directories;
import toykafka.common.InvalidConfigurationException;

/**
 * Where the authorizer keeps its ACLs: a small file of the data directory, {@value #FILE}, one binding a line,
 * written whole and renamed over the old one (as the dynamic broker configs are), so a crash leaves the old set or
 * the new, and read when the broker starts. Kafka keeps each ACL as a record of its metadata log instead. A broker
 * with no data directory (storage=memory) keeps them in memory until it stops.
 *
 * <p>A line holds seven fields separated by tabs, in Kafka's names: resource type, pattern type, resource name,
 * principal, host, operation, permission. A tab, line break or backslash inside a name is written {@code \t},
 * {@code \n}, {@code \r}, {@code \\}, since group names and transactional ids may hold any character.
 */
public final class AclFile {

    /** The file in the data directory. */
    public static final String FILE = "acls.tsv";
    private static final String HEADER = "# The ACLs of the broker's authorizer (CreateAcls, kafka-acls --add),"
            + " one a line:\n# resource type, pattern type, resource name, principal, host, operation, permission,"
            + " separated by tabs.\n";

    private final Path file; // null: in memory only

    private AclFile(Path file) {
        this.file = file;
    }

    /** The file in {@code dataDir}. */
    public static AclFile in(Path dataDir) {
        return new AclFile(dataDir.resolve(FILE));
    }

    /** Nowhere: the ACLs last until the broker stops. */
    public static AclFile inMemory() {
        return new AclFile(null);
    }

    /** The bindings written down, in their order; none when there is no file yet. */
    public List<AclBinding> load() {
        List<AclBinding> bindings = new ArrayList<>();
        if (file == null || !Files.exists(file)) {
            return bindings;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the ACLs in " + file + ": " + e.getMessage(), e);
        }
        for (int number = 1; number <= lines.size(); number++) {
            String line = lines.get(number - 1);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            try {
                bindings.add(parse(line));
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigurationException(file + " line " + number + ": " + e.getMessage()
                        + "; correct or remove that line");
            }
        }
        return bindings;
    }

    /** Writes {@code bindings} as the whole set. */
    public void save(List<AclBinding> bindings) {
        if (file == null) {
            return;
        }
        StringBuilder text = new StringBuilder(HEADER);
        for (AclBinding binding : bindings) {
            ResourcePattern pattern = binding.pattern();
            AccessControlEntry entry = binding.entry();
            text.append(String.join("\t", pattern.resourceType().name(), pattern.patternType().name(),
                    escape(pattern.name()), escape(entry.principal()), escape(entry.host()), entry.operation().name(),
                    entry.permissionType().name())).append('\n');
        }
        try {
            Directories.writeAtomically(file, text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the ACLs to " + file + ": " + e.getMessage(), e);
        }
    }

    private static AclBinding parse(String line) {
        String[] fields = line.split("\t", -1);
        if (fields.length != 7) {
            throw new IllegalArgumentException("a binding has 7 fields separated by tabs, this line " + fields.length);
        }
        return new AclBinding(new ResourcePattern(ResourceType.valueOf(fields[0]), unescape(fields[2]),
                PatternType.valueOf(fields[1])), new AccessControlEntry(unescape(fields[3]), unescape(fields[4]),
                AclOperation.valueOf(fields[5]), AclPermissionType.valueOf(fields[6])));
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }

    private static String unescape(String text) {
        StringBuilder plain = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\' || i + 1 == text.length()) {
                plain.append(c);
                continue;
            }
            char next = text.charAt(++i);
            plain.append(switch (next) {
                case 't' -> '\t';
                case 'n' -> '\n';
                case 'r' -> '\r';
                default -> next;
            });
        }
        return plain.toString();
    }
}
