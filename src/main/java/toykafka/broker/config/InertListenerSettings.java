package toykafka.broker.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import toykafka.common.ConfigRange;
import toykafka.common.InvalidConfigurationException;

/**
 * Kafka's per-broker settings of a SASL listener for Kerberos (GSSAPI) and login refresh (OAUTHBEARER), which this
 * broker, serving PLAIN and SCRAM only, has nothing to apply to. Kafka changes them at a broker's own level while it
 * runs ({@code DynamicListenerConfig.ReconfigurableConfigs}), whether or not a listener uses SASL, and tools such as
 * librdkafka's admin tests set one to see a broker config change. So this broker takes them too: each value checked
 * as Kafka checks it, kept with the broker's other dynamic settings, described, and otherwise inert. Kafka refuses
 * them at the cluster-wide default level, and so does this broker.
 */
final class InertListenerSettings {

    /** One setting: Kafka's default and the check of a value, with the rule a refusal states. */
    record Inert(String name, String defaultValue, Predicate<String> accepts, String rule) {
    }

    private static final Map<String, Inert> ALL = new TreeMap<>();

    static {
        text("sasl.kerberos.service.name", null);
        text("sasl.kerberos.kinit.cmd", "/usr/bin/kinit");
        text("sasl.kerberos.principal.to.local.rules", "DEFAULT");
        decimal("sasl.kerberos.ticket.renew.window.factor", "0.8", Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        decimal("sasl.kerberos.ticket.renew.jitter", "0.05", Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        whole("sasl.kerberos.min.time.before.relogin", "60000", Long.MIN_VALUE, Long.MAX_VALUE);
        decimal("sasl.login.refresh.window.factor", "0.8", 0.5, 1.0);
        decimal("sasl.login.refresh.window.jitter", "0.05", 0.0, 0.25);
        whole("sasl.login.refresh.min.period.seconds", "60", 0, 900);
        whole("sasl.login.refresh.buffer.seconds", "300", 0, 3600);
    }

    private InertListenerSettings() {
    }

    static Optional<Inert> named(String name) {
        return Optional.ofNullable(ALL.get(name));
    }

    static List<String> names() {
        return List.copyOf(ALL.keySet());
    }

    /** The value as kept, or Kafka's refusal of it with the rule it breaks. */
    static String checked(String name, String value) {
        Inert setting = ALL.get(name);
        String text = value == null ? "" : value.trim();
        if (!setting.accepts().test(text)) {
            throw new InvalidConfigurationException("Invalid value " + text + " for configuration " + name + ": it "
                    + setting.rule() + " (as in Kafka; this broker serves neither GSSAPI nor OAUTHBEARER, so the value changes nothing)");
        }
        return text;
    }

    private static void text(String name, String defaultValue) {
        ALL.put(name, new Inert(name, defaultValue, text -> true, "may be any text"));
    }

    private static void whole(String name, String defaultValue, long min, long max) {
        String rule = min == Long.MIN_VALUE ? "must be a whole number"
                : "must be a whole number from " + min + " to " + max;
        ALL.put(name, new Inert(name, defaultValue, ConfigRange.whole(min, max), rule));
    }

    private static void decimal(String name, String defaultValue, double min, double max) {
        String rule = Double.isInfinite(min) ? "must be a number" : "must be a number from " + min + " to " + max;
        ALL.put(name, new Inert(name, defaultValue, ConfigRange.decimal(min, max), rule));
    }
}
