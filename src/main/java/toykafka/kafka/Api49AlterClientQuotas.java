package toykafka.kafka;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.quota.ClientQuotaAlteration;
import toykafka.broker.quota.ClientQuotaEntity;
import toykafka.broker.quota.ClientQuotaSettings;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourcePattern;
import toykafka.broker.security.ResourceType;
import toykafka.common.Errors;

/**
 * AlterClientQuotas (key 49), versions 0–1: {@code kafka-configs --alter --add-config 'producer_byte_rate=1024'
 * --entity-type users --entity-name alice} (or {@code --entity-default}, {@code --delete-config}), {@code
 * Admin.alterClientQuotas}. Kafka's broker forwards it to its controller ({@code ClientQuotaControlManager}); this
 * one makes the changes in its {@link ClientQuotaSettings}, with the controller's checks and messages, one result
 * per entity: an empty entity, an unknown entity type or an empty name, an unknown key, a value of 0 or less, a
 * fractional byte rate, a key named twice or an entity altered twice is refused INVALID_REQUEST, and the other
 * entities' changes are made. {@code validate_only} checks and changes nothing. Not kept: Kafka's {@code ip} entity
 * (connection_creation_rate), refused INVALID_REQUEST saying so. Version 1 is flexible. With an authorizer, a
 * principal that may not ALTER_CONFIGS the cluster changes nothing: each entity gets CLUSTER_AUTHORIZATION_FAILED.
 */
final class Api49AlterClientQuotas extends BrokerApi {

    private final AuthHelper auth;

    Api49AlterClientQuotas(Broker broker, AuthHelper auth) {
        super(broker, 49, "AlterClientQuotas", 0, 1, 1);
        this.auth = auth;
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        ProtocolReader in = request.body();
        List<ClientQuotaAlteration> alterations = in.array("entries", entry -> {
            Map<String, String> entity = new HashMap<>();
            entry.array("entity", entityIn -> {
                entity.put(entityIn.string("entity_type"), entityIn.nullableString("entity_name"));
                entityIn.taggedFields("EntityData");
                return null;
            });
            List<ClientQuotaAlteration.Op> ops = entry.array("ops", op -> {
                String key = op.string("key");
                double value = op.float64("value");
                boolean remove = op.bool("remove");
                op.taggedFields("OpData");
                return new ClientQuotaAlteration.Op(key, remove ? null : value);
            });
            entry.taggedFields("EntryData");
            return new ClientQuotaAlteration(new ClientQuotaEntity(entity), ops);
        });
        boolean validateOnly = in.bool("validate_only");
        in.taggedFields("AlterClientQuotasRequest");
        request.asked(() -> alterations + (validateOnly ? " (validate only)" : ""));
        List<ClientQuotaSettings.Result> results = auth.authorize(request, AclOperation.ALTER_CONFIGS,
                ResourceType.CLUSTER, ResourcePattern.CLUSTER_NAME)
                ? broker.access().quotas().settings().alter(alterations, validateOnly)
                : alterations.stream().map(alteration -> new ClientQuotaSettings.Result(alteration.entity(),
                        Errors.CLUSTER_AUTHORIZATION_FAILED,
                        AuthHelper.clusterRefusal(request, AclOperation.ALTER_CONFIGS))).toList();
        request.answered(() -> results.stream().map(r -> r.entity() + " " + r.error()
                + (r.message() == null ? "" : ": " + r.message())).toList().toString());
        ProtocolWriter out = responseWithThrottleTime(request).array(results, (entryOut, result) -> {
            entryOut.int16(result.error().code()).nullableString(result.message());
            entryOut.array(List.copyOf(result.entity().entries().entrySet()), (entityOut, entity) -> entityOut
                    .string(entity.getKey()).nullableString(entity.getValue()).taggedFields());
            entryOut.taggedFields();
        });
        return CompletableFuture.completedFuture(out.taggedFields());
    }
}
