package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.CreateAclsRequestData;
import org.apache.kafka.common.message.CreateAclsRequestData.AclCreation;
import org.apache.kafka.common.message.CreateAclsResponseData;
import org.apache.kafka.common.message.DeleteAclsRequestData;
import org.apache.kafka.common.message.DeleteAclsRequestData.DeleteAclsFilter;
import org.apache.kafka.common.message.DeleteAclsResponseData;
import org.apache.kafka.common.message.DescribeAclsRequestData;
import org.apache.kafka.common.message.DescribeAclsResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * DescribeAcls, CreateAcls and DeleteAcls, in every version served, read and written back by Kafka's own
 * generated classes: this broker has no authorizer, so each answers SECURITY_DISABLED in the words a Kafka
 * broker without {@code authorizer.class.name} uses ({@code AclApis}).
 */
class AclApisTest {

    @StartedBroker(FrontEnd.KAFKA)
    RunningBroker broker;

    @Test
    void the_acl_apis_are_advertised_from_version_1_as_kafka_4_serves_them() {
        try (KafkaWire wire = new KafkaWire(broker)) {
            ApiVersionsResponseData response = wire.send(new ApiVersionsRequestData(), 0);
            for (int key : new int[] {29, 30, 31}) {
                ApiVersionsResponseData.ApiVersion advertised = response.apiKeys().find((short) key);
                assertNotNull(advertised, "api key " + key);
                assertEquals(1, advertised.minVersion(), "api key " + key);
                assertEquals(3, advertised.maxVersion(), "api key " + key);
            }
        }
    }

    @ParameterizedTest(name = "v{0}")
    @ValueSource(ints = {1, 2, 3})
    void describe_acls_is_security_disabled_with_no_acls(int version) {
        DescribeAclsRequestData request = new DescribeAclsRequestData().setResourceTypeFilter(ResourceType.ANY.code())
                .setPatternTypeFilter(PatternType.ANY.code()).setOperation(AclOperation.ANY.code())
                .setPermissionType(AclPermissionType.ANY.code());
        try (KafkaWire wire = new KafkaWire(broker)) {
            DescribeAclsResponseData response = wire.send(request, version);
            assertEquals(Errors.SECURITY_DISABLED.code(), response.errorCode());
            assertEquals("No Authorizer is configured on the broker", response.errorMessage());
            assertEquals(List.of(), response.resources());
        }
    }

    @ParameterizedTest(name = "v{0}")
    @ValueSource(ints = {1, 2, 3})
    void create_acls_answers_each_creation_security_disabled(int version) {
        CreateAclsRequestData request = new CreateAclsRequestData().setCreations(List.of(creation("orders"),
                creation("payments")));
        try (KafkaWire wire = new KafkaWire(broker)) {
            CreateAclsResponseData response = wire.send(request, version);
            assertEquals(2, response.results().size(), "one result per creation");
            for (CreateAclsResponseData.AclCreationResult result : response.results()) {
                assertEquals(Errors.SECURITY_DISABLED.code(), result.errorCode());
                assertEquals("No Authorizer is configured.", result.errorMessage());
            }
        }
    }

    @ParameterizedTest(name = "v{0}")
    @ValueSource(ints = {1, 2, 3})
    void delete_acls_answers_each_filter_security_disabled_with_nothing_matched(int version) {
        DeleteAclsFilter filter = new DeleteAclsFilter().setResourceTypeFilter(ResourceType.TOPIC.code())
                .setResourceNameFilter("orders").setPatternTypeFilter(PatternType.LITERAL.code())
                .setOperation(AclOperation.READ.code()).setPermissionType(AclPermissionType.ALLOW.code());
        try (KafkaWire wire = new KafkaWire(broker)) {
            DeleteAclsResponseData response = wire.send(new DeleteAclsRequestData().setFilters(List.of(filter)), version);
            assertEquals(1, response.filterResults().size());
            DeleteAclsResponseData.DeleteAclsFilterResult result = response.filterResults().get(0);
            assertEquals(Errors.SECURITY_DISABLED.code(), result.errorCode());
            assertEquals("No Authorizer is configured.", result.errorMessage());
            assertEquals(List.of(), result.matchingAcls());
        }
    }

    private static AclCreation creation(String topic) {
        return new AclCreation().setResourceType(ResourceType.TOPIC.code()).setResourceName(topic)
                .setResourcePatternType(PatternType.LITERAL.code()).setPrincipal("User:alice").setHost("*")
                .setOperation(AclOperation.READ.code()).setPermissionType(AclPermissionType.ALLOW.code());
    }
}
