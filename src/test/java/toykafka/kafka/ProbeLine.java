package toykafka.kafka;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line that {@link ClientsProbe} prints and the tests read: a word, then {@code name=value} fields, each
 * value URL-encoded so that spaces and any byte survive, and {@code ~} for null (URL encoding never writes a
 * bare {@code ~}). It travels as text because the probe may run in another JVM, with another kafka-clients.
 */
record ProbeLine(String word, Map<String, String> fields) {

    private static final String NULL = "~";

    static ProbeLine of(String word, Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values come in pairs, got " + namesAndValues.length);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            Object value = namesAndValues[i + 1];
            fields.put((String) namesAndValues[i], value == null ? null : value.toString());
        }
        return new ProbeLine(word, fields);
    }

    static ProbeLine parse(String line) {
        String[] parts = line.strip().split(" ");
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int equals = parts[i].indexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException("not a name=value field: '" + parts[i] + "' in: " + line);
            }
            String value = parts[i].substring(equals + 1);
            fields.put(parts[i].substring(0, equals), value.equals(NULL) ? null : URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return new ProbeLine(parts[0], fields);
    }

    /** The value of a field the line must have (it may be null: a null key, say). */
    String get(String name) {
        if (!fields.containsKey(name)) {
            throw new IllegalArgumentException("no field '" + name + "' in: " + this);
        }
        return fields.get(name);
    }

    long getLong(String name) {
        return Long.parseLong(get(name));
    }

    /** The line without the named fields: to compare what was sent with what was read, say, bar the offset. */
    ProbeLine without(String... names) {
        Map<String, String> rest = new LinkedHashMap<>(fields);
        for (String name : names) {
            rest.remove(name);
        }
        return new ProbeLine(word, rest);
    }

    @Override
    public String toString() {
        StringBuilder line = new StringBuilder(word);
        fields.forEach((name, value) -> line.append(' ').append(name).append('=')
                .append(value == null ? NULL : URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return line.toString();
    }
}
