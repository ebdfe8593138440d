package toykafka.broker.config;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import toykafka.common.InvalidConfigurationException;

/**
 * The settings kept apart from the broker's table, because they hold secrets or belong to one listener: Kafka's TLS
 * settings ({@code ssl.keystore.password} …) and every {@code listener.name.<listener>.<setting>} (a JAAS line holds
 * passwords). They are never listed or printed; a listener reads its own, else the broker-wide one, as Kafka does.
 */
public final class ListenerSettings {

    /** Kafka's TLS settings a listener on SSL or SASL_SSL reads, each also as a listener's own. */
    public static final Set<String> TLS_SETTINGS = Set.of("ssl.keystore.type", "ssl.keystore.location",
            "ssl.keystore.password", "ssl.key.password", "ssl.keystore.key", "ssl.keystore.certificate.chain",
            "ssl.truststore.type", "ssl.truststore.location", "ssl.truststore.password", "ssl.truststore.certificates",
            "ssl.client.auth", "ssl.protocol", "ssl.enabled.protocols", "ssl.cipher.suites",
            "ssl.keymanager.algorithm", "ssl.trustmanager.algorithm", "ssl.principal.mapping.rules");

    private final SortedMap<String, String> kept = new TreeMap<>();

    /**
     * Keeps {@code key} if it is one of these settings (a later call beats an earlier one); whether it was. A {@code
     * listener.name.} setting that names no setting is refused.
     */
    boolean keep(String key, String value) {
        if (!TLS_SETTINGS.contains(key) && !key.startsWith(ListenerEndpoints.LISTENER_PREFIX)) {
            return false;
        }
        String rest = key.substring(key.startsWith(ListenerEndpoints.LISTENER_PREFIX)
                ? ListenerEndpoints.LISTENER_PREFIX.length() : 0);
        int dot = rest.indexOf('.');
        if (!TLS_SETTINGS.contains(key) && (dot <= 0 || dot == rest.length() - 1)) {
            throw new InvalidConfigurationException("invalid broker setting '" + key + "': a listener's own setting is "
                    + ListenerEndpoints.LISTENER_PREFIX + "<listener>.<setting>, the listener's name in lower case"
                    + " (listener.name.sasl_plaintext.sasl.enabled.mechanisms)");
        }
        kept.put(key, value == null ? "" : value.trim());
        return true;
    }

    /** A listener's own value of a setting ({@code listener.name.<listener>.<setting>}), or null. */
    String own(String listenerName, String setting) {
        return kept.get(prefix(listenerName) + setting);
    }

    /** A listener's settings of one family ({@code ssl.}): its own where given, else the broker-wide ones. */
    Map<String, String> family(String listenerName, String family) {
        String own = prefix(listenerName);
        Map<String, String> settings = new TreeMap<>(kept.subMap(family, family + Character.MAX_VALUE));
        kept.forEach((key, value) -> {
            if (key.startsWith(own + family)) {
                settings.put(key.substring(own.length()), value);
            }
        });
        return Collections.unmodifiableMap(settings);
    }

    private static String prefix(String listenerName) {
        return ListenerEndpoints.LISTENER_PREFIX + listenerName.toLowerCase(Locale.ROOT) + ".";
    }
}
