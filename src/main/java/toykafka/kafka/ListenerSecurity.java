package toykafka.kafka;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import toykafka.broker.Broker;
import toykafka.broker.config.BrokerConfig;
import toykafka.broker.config.ListenerEndpoints;
import toykafka.broker.security.PlainJaasConfig;
import toykafka.broker.security.PlainSaslServer;
import toykafka.broker.security.SaslMechanisms;
import toykafka.broker.security.SslEngineFactory;
import toykafka.broker.security.SslPrincipalMapper;

/**
 * What a listener's security protocol asks of its connections, read from the broker's settings when the front end
 * starts, as Kafka's {@code ChannelBuilders} makes a channel builder per listener: nothing on PLAINTEXT; on
 * SASL_PLAINTEXT the mechanisms of {@code listener.name.<listener>.sasl.enabled.mechanisms} (else {@code
 * sasl.enabled.mechanisms}), PLAIN's users from {@code listener.name.<listener>.plain.sasl.jaas.config} and SCRAM's
 * from the broker's credentials; on SSL and SASL_SSL the engines of Kafka's {@code ssl.*} settings, each also as {@code
 * listener.name.<listener>.ssl.*} for that listener alone.
 */
final class ListenerSecurity {

    private ListenerSecurity() {
    }

    /**
     * The SASL mechanisms of a listener, or null for one without SASL.
     *
     * @throws IOException naming the listener and the setting, for a listener this broker cannot serve
     */
    static SaslMechanisms mechanisms(Broker broker, ListenerEndpoints.EndPoint endPoint) throws IOException {
        if (!endPoint.sasl()) {
            return null;
        }
        BrokerConfig config = broker.config();
        String prefix = ListenerEndpoints.LISTENER_PREFIX + endPoint.name().toLowerCase(java.util.Locale.ROOT) + ".";
        List<String> enabled = Arrays.stream(config.listenerSetting(endPoint.name(),
                ListenerEndpoints.SASL_ENABLED_MECHANISMS, true).split(",")).map(String::trim)
                .filter(name -> !name.isEmpty()).toList();
        String jaasSetting = PlainSaslServer.PLAIN.toLowerCase(java.util.Locale.ROOT) + ".sasl.jaas.config";
        String jaas = config.listenerSetting(endPoint.name(), jaasSetting, false);
        try {
            PlainJaasConfig plainUsers = jaas == null ? null : PlainJaasConfig.parse(jaas);
            return new SaslMechanisms(enabled, plainUsers, broker.access().scramCredentials());
        } catch (IllegalArgumentException e) {
            throw new IOException("cannot serve the listener " + endPoint + " (" + prefix + "sasl.enabled.mechanisms, "
                    + prefix + jaasSetting + "): " + e.getMessage(), e);
        }
    }

    /**
     * The TLS of a listener on SSL or SASL_SSL, or null for one without.
     *
     * @throws IOException naming the listener and what in its {@code ssl.*} settings is wrong
     */
    static ListenerTls tls(Broker broker, ListenerEndpoints.EndPoint endPoint) throws IOException {
        String protocol = endPoint.securityProtocol();
        if (!protocol.equals("SSL") && !protocol.equals("SASL_SSL")) {
            return null;
        }
        Map<String, String> settings = broker.config().listenerSettings(endPoint.name(), "ssl.");
        try {
            return new ListenerTls(SslEngineFactory.configure(settings),
                    SslPrincipalMapper.fromRules(settings.get("ssl.principal.mapping.rules")), protocol.equals("SSL"));
        } catch (IllegalArgumentException e) {
            throw new IOException("cannot serve the listener " + endPoint + " over TLS: " + e.getMessage(), e);
        }
    }

    /** Where clients are told to connect: the advertised host, else this machine's name for a wildcard listener. */
    static String advertisedHost(ListenerEndpoints.EndPoint endPoint) {
        if (!endPoint.advertisedHost().isEmpty()) {
            return endPoint.advertisedHost();
        }
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            return InetAddress.getLoopbackAddress().getHostName();
        }
    }
}
