package toykafka.kafka;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.config.FinalizedFeatures;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourcePattern;
import toykafka.broker.security.ResourceType;
import toykafka.common.Errors;

/**
 * UpdateFeatures (key 57), versions 0–2, all flexible: {@code Admin.updateFeatures}, which {@code kafka-features
 * upgrade} and {@code downgrade} send, sets the finalized level of {@link Features} this broker supports, as
 * Kafka's controller ({@code FeatureControlManager}) does: all the updates or none, each level checked against
 * the supported range, a lower level only with a downgrade type (v0's AllowDowngrade, v1+'s UpgradeType 2 safe or
 * 3 unsafe), a higher one only as an upgrade (type 1), and v1+'s ValidateOnly checks without changing anything.
 * The first refusal fails the request with INVALID_UPDATE_VERSION, in Kafka's words; v0 and v1 list each feature
 * with no error when all succeed, v2 lists none. Every change moves the epoch ApiVersions answers with.
 *
 * <p>Ignored: the timeout (a change is written at once). Kafka also refuses a level
 * whose dependencies the cluster does not finalize (its transaction.version 1 and 2 need metadata.version
 * 4.0-IV2); this broker's metadata.version stands at 3.3-IV3 for what it leaves out ({@link Features}), not for
 * what transaction.version needs, so no dependency is checked.
 * With an authorizer, a principal that may not ALTER the cluster changes nothing: CLUSTER_AUTHORIZATION_FAILED.
 */
final class Api57UpdateFeatures extends Api {

    static final short KEY = 57;
    private static final short FIRST_RESULTLESS_VERSION = 2;
    private static final String METADATA_VERSION = "metadata.version";

    /** Kafka's {@code FeatureUpdate.UpgradeType}, by its code on the wire. */
    private enum UpgradeType { UNKNOWN, UPGRADE, SAFE_DOWNGRADE, UNSAFE_DOWNGRADE }

    private record Update(String feature, short level, UpgradeType type) {
    }

    private final Broker broker;
    private final AuthHelper auth;

    Api57UpdateFeatures(Broker broker, AuthHelper auth) {
        super(KEY, "UpdateFeatures", 0, 2, 0);
        this.broker = broker;
        this.auth = auth;
    }

    /** The levels this API changed, which ApiVersions answers with. */
    FinalizedFeatures levels() {
        return broker.finalizedFeatures();
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        short version = request.version();
        ProtocolReader in = request.body();
        in.int32("timeout_ms");
        List<Update> updates = in.array("feature_updates", update -> {
            String feature = update.string("feature");
            short level = update.int16("max_version_level");
            UpgradeType type = version == 0 ? (update.bool("allow_downgrade") ? UpgradeType.SAFE_DOWNGRADE
                    : UpgradeType.UPGRADE) : typeOf(update.int8("upgrade_type"));
            update.taggedFields("FeatureUpdateKey");
            return new Update(feature, level, type);
        });
        boolean validateOnly = version >= 1 && in.bool("validate_only");
        in.taggedFields("UpdateFeaturesRequest");
        request.asked(updates.stream().map(u -> u.feature() + "=" + u.level() + " (" + u.type() + ")").toList()
                + (validateOnly ? ", validate only" : ""));

        if (!auth.authorize(request, AclOperation.ALTER, ResourceType.CLUSTER, ResourcePattern.CLUSTER_NAME)) {
            String why = AuthHelper.clusterRefusal(request, AclOperation.ALTER);
            request.answered(Errors.CLUSTER_AUTHORIZATION_FAILED + ": " + why);
            ProtocolWriter refused = responseWithThrottleTime(request)
                    .int16(Errors.CLUSTER_AUTHORIZATION_FAILED.code()).nullableString(why);
            if (version < FIRST_RESULTLESS_VERSION) {
                refused.arrayLength(0);
            }
            return CompletableFuture.completedFuture(refused.taggedFields());
        }
        String refusal;
        synchronized (broker.finalizedFeatures()) { // checked and changed as one, as the controller's log orders them
            refusal = apply(updates, validateOnly);
        }
        Errors error = refusal == null ? Errors.NONE : Errors.INVALID_UPDATE_VERSION;
        request.answered(refusal == null ? error + (validateOnly ? ", validated" : ", epoch "
                + broker.finalizedFeatures().levels().epoch()) : error + ": " + refusal);
        ProtocolWriter out = responseWithThrottleTime(request).int16(error.code()).nullableString(refusal);
        if (version < FIRST_RESULTLESS_VERSION) {
            out.array(refusal == null ? updates : List.<Update>of(), (w, update) ->
                    w.string(update.feature()).int16(Errors.NONE.code()).nullableString(null).taggedFields());
        }
        return CompletableFuture.completedFuture(out.taggedFields());
    }

    /** Kafka's refusal of the first update refused, or null once all are taken (and, unless validating, set). */
    private String apply(List<Update> updates, boolean validateOnly) {
        Map<String, Short> levels = new LinkedHashMap<>();
        for (Update update : updates) {
            String reason = reasonRefused(update);
            if (reason != null) {
                return "Invalid update version " + update.level() + " for feature " + update.feature() + ". " + reason;
            }
            levels.put(update.feature(), update.level());
        }
        levels.remove(METADATA_VERSION); // supported at one level only: nothing to change
        if (!validateOnly && !levels.isEmpty()) {
            broker.finalizedFeatures().update(levels);
        }
        return null;
    }

    private static UpgradeType typeOf(byte code) {
        return code >= 1 && code <= 3 ? UpgradeType.values()[code] : UpgradeType.UNKNOWN;
    }

    /** Why the controller refuses this update, in Kafka's words, or null when it takes it. */
    private String reasonRefused(Update update) {
        if (update.type() == UpgradeType.UNKNOWN) {
            return "The controller does not support the given upgrade type.";
        }
        if (update.level() < 0) {
            return "A feature version cannot be less than 0.";
        }
        Features.Feature supported = Features.named(update.feature());
        if (supported == null) {
            return "Local controller " + broker.nodeId() + " does not support this feature.";
        }
        if (update.level() < supported.min() || update.level() > supported.max()) {
            return "Local controller " + broker.nodeId() + " only supports versions " + supported.min()
                    + (supported.min() == supported.max() ? "" : "-" + supported.max());
        }
        short current = currentLevel(supported);
        if (update.level() < current && update.type() == UpgradeType.UPGRADE) {
            return "Can't downgrade the version of this feature without setting the upgrade type to either safe or"
                    + " unsafe downgrade.";
        }
        if (update.level() > current && update.type() != UpgradeType.UPGRADE) {
            return "Can't downgrade to a newer version.";
        }
        return null;
    }

    private short currentLevel(Features.Feature feature) {
        return levels().levels().changed().getOrDefault(feature.name(), feature.finalized());
    }
}
