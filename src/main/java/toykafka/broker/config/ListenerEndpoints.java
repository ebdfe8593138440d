package toykafka.broker.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import toykafka.common.InvalidConfigurationException;

/**
 * The listeners of Kafka's protocol as Kafka configures them: {@code listeners} (NAME://host:port, separated by
 * commas), {@code advertised.listeners} (where Metadata sends a client that came in on each) and {@code
 * listener.security.protocol.map} (each name's security protocol). Without {@code listeners}, {@code host} and {@code
 * kafka.port} make one PLAINTEXT listener advertised by {@code advertised.host} and {@code advertised.port}, as
 * before listeners existed here. Malformed listeners, two of one name or port, and a name the map lacks are
 * refused in Kafka's words ({@code SocketServerConfigs.listenerListToEndPoints}, {@code AbstractKafkaConfig}).
 */
public final class ListenerEndpoints {

    public static final String LISTENERS = "listeners";
    public static final String ADVERTISED_LISTENERS = "advertised.listeners";
    public static final String LISTENER_SECURITY_PROTOCOL_MAP = "listener.security.protocol.map";
    public static final String SASL_ENABLED_MECHANISMS = "sasl.enabled.mechanisms";
    public static final String CONNECTION_FAILED_AUTHENTICATION_DELAY_MS = "connection.failed.authentication.delay.ms";
    public static final String CONNECTIONS_MAX_REAUTH_MS = "connections.max.reauth.ms";
    /** The start of a setting for one listener only, as Kafka names it: {@code listener.name.<listener>.<setting>}. */
    public static final String LISTENER_PREFIX = "listener.name.";

    /** Kafka's security protocols. */
    public static final List<String> SECURITY_PROTOCOLS = List.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
    /** Kafka's default map: each protocol's name is a listener name of that protocol. */
    public static final String DEFAULT_SECURITY_PROTOCOL_MAP =
            "SASL_SSL:SASL_SSL,PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT";
    /** Kafka's pattern of one listener: a name, "://", a host (an IPv6 address in brackets) or none, ":", a port. */
    private static final Pattern ENDPOINT = Pattern.compile("^(.*)://\\[?([0-9a-zA-Z\\-%._:]*)\\]?:(-?[0-9]+)");

    /**
     * One listener: its name, security protocol, where it listens (an empty host is every address) and where
     * clients are told to connect (an advertised port 0: the port it bound).
     */
    public record EndPoint(String name, String securityProtocol, String host, int port, String advertisedHost,
                           int advertisedPort) {

        /** Whether clients authenticate with SASL here. */
        public boolean sasl() {
            return securityProtocol.startsWith("SASL_");
        }

        @Override
        public String toString() {
            return name + "://" + host + ":" + port;
        }
    }

    private ListenerEndpoints() {
    }

    /** The listeners the settings describe, in the order {@code listeners} names them. */
    public static List<EndPoint> of(BrokerConfig config) {
        String listeners = config.get(LISTENERS);
        if (listeners.isEmpty()) {
            return List.of(new EndPoint("PLAINTEXT", "PLAINTEXT", config.host(), config.kafkaPort(),
                    config.advertisedHost(), config.advertisedPort(0)));
        }
        if (!config.get(BrokerConfig.ADVERTISED_HOST).isEmpty() || !config.get(BrokerConfig.ADVERTISED_PORT).equals("0")) {
            throw new InvalidConfigurationException("advertised.host and advertised.port advertise the one listener of"
                    + " host and kafka.port; with listeners set, advertise each in advertised.listeners instead");
        }
        Map<String, String> protocols = securityProtocolMap(config.get(LISTENER_SECURITY_PROTOCOL_MAP));
        List<EndPoint> bound = parse(LISTENERS, listeners, protocols);
        checkDistinct(listeners, bound);
        Map<String, EndPoint> advertised = new HashMap<>();
        String advertisedListeners = config.get(ADVERTISED_LISTENERS);
        if (!advertisedListeners.isEmpty()) {
            for (EndPoint endPoint : parse(ADVERTISED_LISTENERS, advertisedListeners, protocols)) {
                if (bound.stream().noneMatch(listener -> listener.name().equals(endPoint.name()))) {
                    throw new InvalidConfigurationException("advertised.listeners listener names must be equal to or a"
                            + " subset of the ones defined in listeners. Found " + endPoint.name() + ". The valid"
                            + " options based on currently configured listeners are " + String.join(",",
                            bound.stream().map(EndPoint::name).toList()));
                }
                if (advertised.put(endPoint.name(), endPoint) != null) {
                    throw new InvalidConfigurationException("invalid value '" + advertisedListeners + "' for "
                            + ADVERTISED_LISTENERS + ": Each listener must have a different name");
                }
            }
        }
        List<EndPoint> endPoints = new ArrayList<>();
        for (EndPoint listener : bound) {
            EndPoint told = advertised.get(listener.name());
            String host = told != null && !told.host().isEmpty() ? told.host() : listener.host();
            endPoints.add(new EndPoint(listener.name(), listener.securityProtocol(), listener.host(), listener.port(),
                    host, told != null ? told.port() : 0));
        }
        return List.copyOf(endPoints);
    }

    private static List<EndPoint> parse(String setting, String text, Map<String, String> protocols) {
        List<EndPoint> endPoints = new ArrayList<>();
        for (String entry : text.split(",")) {
            Matcher matcher = ENDPOINT.matcher(entry.trim());
            if (!matcher.matches()) {
                throw refused(setting, text, "Unable to parse " + entry.trim() + " to a broker endpoint");
            }
            String name = matcher.group(1).toUpperCase(Locale.ROOT);
            String protocol = protocols.get(name);
            if (protocol == null) {
                throw refused(setting, text, "No security protocol defined for listener " + name
                        + " (listener.security.protocol.map names " + String.join(", ", protocols.keySet()) + ")");
            }
            int port = Integer.parseInt(matcher.group(3));
            if (port < 0 || port > 65535) {
                throw refused(setting, text, "the port of " + entry.trim() + " must be from 0 to 65535");
            }
            endPoints.add(new EndPoint(name, protocol, matcher.group(2), port, matcher.group(2), port));
        }
        return endPoints;
    }

    private static void checkDistinct(String text, List<EndPoint> endPoints) {
        Set<String> names = new HashSet<>();
        Set<Integer> ports = new HashSet<>();
        for (EndPoint endPoint : endPoints) {
            if (!names.add(endPoint.name())) {
                throw refused(LISTENERS, text, "Each listener must have a different name, listeners: " + text);
            }
            if (endPoint.port() != 0 && !ports.add(endPoint.port())) {
                throw refused(LISTENERS, text, "Each listener must have a different port, listeners: " + text);
            }
        }
    }

    private static InvalidConfigurationException refused(String setting, String text, String why) {
        return new InvalidConfigurationException("invalid value '" + text + "' for " + setting
                + ": Error creating broker listeners from '" + text + "': " + why);
    }

    /** The map of listener names to security protocols, names in upper case as Kafka normalises them. */
    static Map<String, String> securityProtocolMap(String text) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            String[] parts = pair.trim().split(":");
            map.put(parts[0].trim().toUpperCase(Locale.ROOT), parts[1].trim().toUpperCase(Locale.ROOT));
        }
        return map;
    }

    /** Whether a value of {@code listeners} or {@code advertised.listeners} has the form of one (empty too). */
    static boolean wellFormed(String text) {
        return text.isEmpty() || Arrays.stream(text.split(",", -1)).allMatch(entry -> ENDPOINT.matcher(entry.trim()).matches());
    }

    /** Whether a value of {@code listener.security.protocol.map} has its form, each protocol one of Kafka's. */
    static boolean wellFormedMap(String text) {
        return Arrays.stream(text.split(",", -1)).allMatch(pair -> {
            String[] parts = pair.trim().split(":", -1);
            return parts.length == 2 && !parts[0].isBlank()
                    && SECURITY_PROTOCOLS.contains(parts[1].trim().toUpperCase(Locale.ROOT));
        });
    }
}
