package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddOffsetsToTxnResponseData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.CreateAclsRequestData;
import org.apache.kafka.common.message.CreateAclsRequestData.AclCreation;
import org.apache.kafka.common.message.CreateAclsResponseData;
import org.apache.kafka.common.message.CreateAclsResponseData.AclCreationResult;
import org.apache.kafka.common.message.DeleteAclsRequestData;
import org.apache.kafka.common.message.DeleteAclsRequestData.DeleteAclsFilter;
import org.apache.kafka.common.message.DeleteAclsResponseData;
import org.apache.kafka.common.message.DescribeAclsRequestData;
import org.apache.kafka.common.message.DescribeAclsResponseData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;
import toykafka.testing.StartedBroker.Setting;

/**
 * CreateAcls, DescribeAcls and DeleteAcls on a broker with Kafka's StandardAuthorizer, read and written by Kafka's
 * own generated classes: each creation refused in Kafka's words, and a requester who may not DESCRIBE or ALTER the
 * cluster refused whole, as Kafka's {@code AclApis} refuses it.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AclApisWithAuthorizerTest {

    @StartedBroker(value = FrontEnd.KAFKA, settings = {
        @Setting(name = "authorizer.class.name", value = KafkaAclsTest.STANDARD_AUTHORIZER),
        @Setting(name = "super.users", value = "User:admin;User:ANONYMOUS")})
    RunningBroker admin;

    @StartedBroker(value = FrontEnd.KAFKA, settings = {
        @Setting(name = "authorizer.class.name", value = KafkaAclsTest.STANDARD_AUTHORIZER)})
    RunningBroker strict;

    private static AclCreation creation(ResourceType type, String name, PatternType patternType, String principal,
                                        AclOperation operation, AclPermissionType permission) {
        return new AclCreation().setResourceType(type.code()).setResourceName(name)
                .setResourcePatternType(patternType.code()).setPrincipal(principal).setHost("*")
                .setOperation(operation.code()).setPermissionType(permission.code());
    }

    @Test
    void each_creation_is_refused_or_kept_on_its_own_in_kafkas_words() {
        CreateAclsRequestData request = new CreateAclsRequestData().setCreations(List.of(
                creation(ResourceType.CLUSTER, "my-cluster", PatternType.LITERAL, "User:a", AclOperation.ALTER,
                        AclPermissionType.ALLOW),
                creation(ResourceType.TOPIC, "", PatternType.LITERAL, "User:a", AclOperation.READ,
                        AclPermissionType.ALLOW),
                creation(ResourceType.ANY, "orders", PatternType.LITERAL, "User:a", AclOperation.READ,
                        AclPermissionType.ALLOW),
                creation(ResourceType.TOPIC, "orders", PatternType.MATCH, "User:a", AclOperation.READ,
                        AclPermissionType.ALLOW),
                creation(ResourceType.TOPIC, "orders", PatternType.LITERAL, "User:a", AclOperation.ANY,
                        AclPermissionType.ALLOW),
                creation(ResourceType.TOPIC, "orders", PatternType.LITERAL, "User:a", AclOperation.READ,
                        AclPermissionType.ANY),
                creation(ResourceType.TOPIC, "orders", PatternType.LITERAL, "a", AclOperation.READ,
                        AclPermissionType.ALLOW),
                creation(ResourceType.TOPIC, "orders", PatternType.LITERAL, "User:a", AclOperation.READ,
                        AclPermissionType.ALLOW)));
        try (KafkaWire wire = new KafkaWire(admin)) {
            CreateAclsResponseData response = wire.send(request, 3);
            List<String> said = response.results().stream().map(AclApisWithAuthorizerTest::said).toList();
            assertEquals(List.of(
                    "INVALID_REQUEST The only valid name for the CLUSTER resource is kafka-cluster",
                    "INVALID_REQUEST Invalid empty resource name",
                    "INVALID_REQUEST Invalid resourceType ANY",
                    "INVALID_REQUEST Invalid patternType MATCH",
                    "INVALID_REQUEST Invalid operation ANY",
                    "INVALID_REQUEST Invalid permissionType ANY",
                    "INVALID_REQUEST Could not parse principal from `a` (no colon is present separating the"
                            + " principal type from the principal name)",
                    "NONE null"), said);
            DescribeAclsResponseData listed = wire.send(new DescribeAclsRequestData() // null: any, as Admin sends it
                    .setResourceTypeFilter(ResourceType.ANY.code()).setResourceNameFilter(null)
                    .setPatternTypeFilter(PatternType.ANY.code()).setPrincipalFilter(null).setHostFilter(null)
                    .setOperation(AclOperation.ANY.code()).setPermissionType(AclPermissionType.ANY.code()), 1);
            assertEquals(Errors.NONE.code(), listed.errorCode());
            assertNull(listed.errorMessage());
            assertEquals(1, listed.resources().size(), "only the one kept: " + listed);
            assertEquals("orders", listed.resources().get(0).resourceName());
            assertEquals(PatternType.LITERAL.code(), listed.resources().get(0).patternType());
            assertEquals("User:a", listed.resources().get(0).acls().get(0).principal());
        }
    }

    @Test
    void a_requester_who_may_not_describe_or_alter_the_cluster_is_refused_whole() {
        try (KafkaWire wire = new KafkaWire(strict)) {
            DescribeAclsResponseData listed = wire.send(new DescribeAclsRequestData()
                    .setResourceTypeFilter(ResourceType.ANY.code()).setPatternTypeFilter(PatternType.ANY.code())
                    .setOperation(AclOperation.ANY.code()).setPermissionType(AclPermissionType.ANY.code()), 3);
            assertEquals(Errors.CLUSTER_AUTHORIZATION_FAILED.code(), listed.errorCode());
            assertTrue(listed.errorMessage().contains("not authorized"), listed.errorMessage());
            CreateAclsResponseData created = wire.send(new CreateAclsRequestData().setCreations(List.of(
                    creation(ResourceType.TOPIC, "orders", PatternType.LITERAL, "User:ANONYMOUS", AclOperation.ALL,
                            AclPermissionType.ALLOW))), 3);
            assertEquals(Errors.CLUSTER_AUTHORIZATION_FAILED.code(), created.results().get(0).errorCode());
            DeleteAclsResponseData deleted = wire.send(new DeleteAclsRequestData().setFilters(List.of(
                    new DeleteAclsFilter().setResourceTypeFilter(ResourceType.ANY.code())
                            .setPatternTypeFilter(PatternType.ANY.code()).setOperation(AclOperation.ANY.code())
                            .setPermissionType(AclPermissionType.ANY.code()))), 2);
            assertEquals(Errors.CLUSTER_AUTHORIZATION_FAILED.code(), deleted.filterResults().get(0).errorCode());
        }
        assertEquals(0, strict.broker().access().authorizer().orElseThrow().acls(
                toykafka.broker.security.AclBindingFilter.ANY).size(), "nothing was created");
    }

    @Test
    void describe_groups_refuses_a_group_the_principal_may_not_describe() {
        DescribeGroupsRequestData request = new DescribeGroupsRequestData().setGroups(List.of("billing"))
                .setIncludeAuthorizedOperations(true);
        try (KafkaWire wire = new KafkaWire(strict)) {
            DescribeGroupsResponseData.DescribedGroup refused = wire.<DescribeGroupsResponseData>send(request, 5)
                    .groups().get(0);
            assertEquals(Errors.GROUP_AUTHORIZATION_FAILED.code(), refused.errorCode());
            assertEquals("billing", refused.groupId());
            assertEquals("", refused.groupState());
            assertEquals(Integer.MIN_VALUE, refused.authorizedOperations());
        }
        try (KafkaWire wire = new KafkaWire(admin)) {
            DescribeGroupsResponseData.DescribedGroup described = wire.<DescribeGroupsResponseData>send(request, 5)
                    .groups().get(0);
            assertEquals(Errors.NONE.code(), described.errorCode(), "a super user may describe it");
            assertEquals("Dead", described.groupState());
        }
    }

    @Test
    void the_transaction_apis_refuse_a_producer_that_may_not_write_its_transactional_id() {
        try (KafkaWire wire = new KafkaWire(strict)) {
            EndTxnResponseData ended = wire.send(new EndTxnRequestData().setTransactionalId("till").setProducerId(7)
                    .setProducerEpoch((short) 0).setCommitted(true), 3);
            assertEquals(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code(), ended.errorCode());
            AddOffsetsToTxnResponseData offsets = wire.send(new AddOffsetsToTxnRequestData().setTransactionalId("till")
                    .setProducerId(7).setProducerEpoch((short) 0).setGroupId("audit"), 3);
            assertEquals(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code(), offsets.errorCode());
            AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection topics =
                    new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection();
            topics.add(new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic().setName("orders")
                    .setPartitions(List.of(0)));
            AddPartitionsToTxnResponseData added = wire.send(new AddPartitionsToTxnRequestData()
                    .setV3AndBelowTransactionalId("till").setV3AndBelowProducerId(7)
                    .setV3AndBelowProducerEpoch((short) 0).setV3AndBelowTopics(topics), 3);
            assertEquals(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code(), added.resultsByTopicV3AndBelow()
                    .find("orders").resultsByPartition().find(0).partitionErrorCode());
            AddPartitionsToTxnRequestData.AddPartitionsToTxnTransactionCollection transactions =
                    new AddPartitionsToTxnRequestData.AddPartitionsToTxnTransactionCollection();
            transactions.add(new AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction()
                    .setTransactionalId("till").setProducerId(7).setProducerEpoch((short) 0)
                    .setTopics(topics.duplicate()));
            AddPartitionsToTxnResponseData asLeader = wire.send(new AddPartitionsToTxnRequestData()
                    .setTransactions(transactions), 4);
            assertEquals(Errors.CLUSTER_AUTHORIZATION_FAILED.code(), asLeader.errorCode(), "only brokers ask so");
        }
    }

    private static String said(AclCreationResult result) {
        return Errors.forCode(result.errorCode()) + " " + result.errorMessage();
    }
}
