package toykafka.kafka;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.quota.ClientQuotaEntity;
import toykafka.broker.quota.ClientQuotaFilter;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourcePattern;
import toykafka.broker.security.ResourceType;
import toykafka.common.ApiException;
import toykafka.common.Errors;

/**
 * DescribeClientQuotas (key 48), versions 0–1: {@code kafka-configs --describe --entity-type users/clients},
 * {@code Admin.describeClientQuotas}. Kafka's broker answers from its metadata image ({@code
 * ClientQuotasImage.describe}); this one from its {@link toykafka.broker.quota.ClientQuotaSettings}, with the
 * same filter: each component matches an entity type by an exact name, by its default (a null name), or by any
 * name; {@code strict} leaves out entities with a type no component names. Refused for the whole request, as
 * Kafka refuses it: an empty entity type, a type named twice, a match string where the match type takes none or
 * none where it takes one (INVALID_REQUEST), a type other than user, client-id and ip (UNSUPPORTED_VERSION); the
 * answer then carries the error, its message and no entries. Version 1 is flexible. With an authorizer, a principal
 * that may not DESCRIBE_CONFIGS the cluster gets CLUSTER_AUTHORIZATION_FAILED and no entries, as in Kafka.
 */
final class Api48DescribeClientQuotas extends BrokerApi {

    private final AuthHelper auth;

    Api48DescribeClientQuotas(Broker broker, AuthHelper auth) {
        super(broker, 48, "DescribeClientQuotas", 0, 1, 1);
        this.auth = auth;
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        ProtocolReader in = request.body();
        List<ClientQuotaFilter.Component> components = in.array("components", component -> {
            ClientQuotaFilter.Component read = new ClientQuotaFilter.Component(component.string("entity_type"),
                    component.int8("match_type"), component.nullableString("match"));
            component.taggedFields("ComponentData");
            return read;
        });
        boolean strict = in.bool("strict");
        in.taggedFields("DescribeClientQuotasRequest");
        request.asked(() -> components.stream().map(c -> c.entityType() + (c.matchType() == 0 ? "=" + c.match()
                : c.matchType() == 1 ? "=<default>" : "=*")).toList() + (strict ? " strict" : ""));
        ProtocolWriter out = responseWithThrottleTime(request);
        if (!auth.authorize(request, AclOperation.DESCRIBE_CONFIGS, ResourceType.CLUSTER,
                ResourcePattern.CLUSTER_NAME)) {
            request.answered(Errors.CLUSTER_AUTHORIZATION_FAILED.toString());
            return CompletableFuture.completedFuture(out.int16(Errors.CLUSTER_AUTHORIZATION_FAILED.code())
                    .nullableString("Cluster authorization failed.").arrayLength(-1).taggedFields());
        }
        List<Map.Entry<ClientQuotaEntity, SortedMap<String, Double>>> entries;
        try {
            entries = broker.access().quotas().settings().describe(new ClientQuotaFilter(components, strict));
        } catch (ApiException e) {
            request.answered(e.error() + ": " + e.getMessage());
            return CompletableFuture.completedFuture(out.int16(e.error().code()).nullableString(e.getMessage())
                    .arrayLength(-1).taggedFields());
        }
        request.answered(() -> entries.size() + " entities: " + entries);
        out.int16(Errors.NONE.code()).nullableString(null).array(entries, (entryOut, entry) -> {
            entryOut.array(List.copyOf(entry.getKey().entries().entrySet()), (entityOut, entity) -> entityOut
                    .string(entity.getKey()).nullableString(entity.getValue()).taggedFields());
            entryOut.array(List.copyOf(entry.getValue().entrySet()), (valueOut, value) -> valueOut
                    .string(value.getKey()).float64(value.getValue()).taggedFields());
            entryOut.taggedFields();
        });
        return CompletableFuture.completedFuture(out.taggedFields());
    }
}
