package toykafka.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.config.BrokerConfig;
import toykafka.broker.config.TopicInheritance;
import toykafka.broker.config.Setting;
import toykafka.broker.config.DynamicBrokerConfigs;
import toykafka.broker.config.DynamicGroupConfigs;
import toykafka.broker.config.GroupConfigKeys;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourcePattern;
import toykafka.broker.security.ResourceType;
import toykafka.common.ApiException;
import toykafka.common.Errors;
import toykafka.common.TopicConfig;

/**
 * DescribeConfigs (key 32), versions 1–4: {@code Admin.describeConfigs}, and the "Configs:" of
 * {@code kafka-topics --describe}. Kafka's {@code ConfigHelper.describeConfigs}.
 *
 * <p>A topic (resource type 2): every key of {@link TopicConfig} with the value in force, its source
 * TOPIC_CONFIG (1) when the topic sets it; when it inherits the broker's {@code log.*} setting, that setting's
 * source: DYNAMIC_BROKER_CONFIG (2), DYNAMIC_DEFAULT_BROKER_CONFIG (3) or STATIC_BROKER_CONFIG (4); else
 * DEFAULT_CONFIG (5); never read-only or sensitive. With {@code include_synonyms}, every level that gives the
 * key a value, the one in force first, as Kafka lists them; v3's type as Kafka's ConfigDef gives it, and the
 * course's one-line meaning as documentation when asked for. {@code configuration_keys} null means all; a
 * key no topic has is left out, as Kafka does. An unknown topic is UNKNOWN_TOPIC_OR_PARTITION and a bad name
 * INVALID_TOPIC_EXCEPTION, for that resource only.
 *
 * <p>A broker (type 4) named by this node's id: the settings that carry Kafka's own names
 * ({@code num.partitions}, {@code auto.create.topics.enable}, {@code log.retention.ms} …), each with the
 * source of its value: DYNAMIC_BROKER_CONFIG (2) or DYNAMIC_DEFAULT_BROKER_CONFIG (3) when changed while the
 * broker runs, STATIC_BROKER_CONFIG (4) when set by a flag, the environment or the file, DEFAULT_CONFIG (5)
 * otherwise; read-only unless Kafka changes it at runtime too ({@code BrokerConfig.DYNAMIC}); type unknown
 * (0). Kafka's SASL listener settings ({@code sasl.kerberos.*}, {@code sasl.login.refresh.*}) set on this broker are
 * listed too, as changed at its own level: it keeps them, with no GSSAPI or OAUTHBEARER to apply them to.
 * The empty name is the cluster-wide default level: the settings changed there, source 3, as Kafka
 * answers {@code kafka-configs --describe --entity-default}. Another id is INVALID_REQUEST.
 *
 * <p>A group (type 32), which {@code kafka-configs --describe --entity-type groups} asks about each group that
 * ListGroups and ListConfigResources name: any name, existing or not, with every one of Kafka 4.4's group configs
 * ({@code DynamicGroupConfigs}) but its internal ones, and an internal one the group sets, as Kafka's
 * {@code ConfigHelper} answers. Each has the value in force and its source: GROUP_CONFIG (8) when set on the
 * group; else that of the broker setting it overrides ({@code consumer.session.timeout.ms} takes
 * {@code group.consumer.session.timeout.ms}): STATIC_BROKER_CONFIG (4) when set at start, DEFAULT_CONFIG (5)
 * otherwise, and DEFAULT_CONFIG with Kafka's default for one this broker has no setting for. Its synonyms list
 * each of those levels, the one in force first; v3's type is Kafka's ConfigDef type; no documentation. The empty
 * name is INVALID_REQUEST in Kafka's words. Another resource type is INVALID_REQUEST.
 * With an authorizer, as Kafka's {@code ConfigHelper}: a topic needs DESCRIBE_CONFIGS on it, a group on it, a broker
 * on the cluster; each refused resource is answered TOPIC_, GROUP_ or CLUSTER_AUTHORIZATION_FAILED with no configs,
 * after the ones described. Version 4, the flexible one Kafka 4.4's admin sends, is v3 with compact lengths and tagged
 * fields. Version 0 (removed in Kafka 4) is not served.
 */
final class Api32DescribeConfigs extends BrokerApi {

    static final byte TOPIC = 2;
    static final byte BROKER = 4;
    static final byte GROUP = 32;
    static final byte SOURCE_TOPIC_CONFIG = 1;
    private static final byte SOURCE_GROUP_CONFIG = 8;

    /** Kafka's ConfigDef types (DescribeConfigsResponse.ConfigType) for the topic keys. */
    private static final byte LONG = 5;
    private static final byte INT = 3;
    private static final byte STRING = 2;
    private static final byte DOUBLE = 6;
    private static final byte BOOLEAN = 1;
    static final byte LIST = 7;
    static final Map<String, Byte> TOPIC_CONFIG_TYPES = Map.ofEntries(
            Map.entry(TopicConfig.CLEANUP_POLICY, LIST),
            Map.entry(TopicConfig.COMPRESSION_TYPE, STRING),
            Map.entry(TopicConfig.DELETE_RETENTION_MS, LONG),
            Map.entry(TopicConfig.DEAD_LETTER_GROUP_ENABLE, BOOLEAN),
            Map.entry(TopicConfig.FLUSH_MESSAGES, LONG),
            Map.entry(TopicConfig.FLUSH_MS, LONG),
            Map.entry(TopicConfig.INDEX_INTERVAL_BYTES, INT),
            Map.entry(TopicConfig.MAX_MESSAGE_BYTES, INT),
            Map.entry(TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS, LONG),
            Map.entry(TopicConfig.MESSAGE_TIMESTAMP_BEFORE_MAX_MS, LONG),
            Map.entry(TopicConfig.MESSAGE_TIMESTAMP_TYPE, STRING),
            Map.entry(TopicConfig.MIN_CLEANABLE_DIRTY_RATIO, DOUBLE),
            Map.entry(TopicConfig.MIN_COMPACTION_LAG_MS, LONG),
            Map.entry(TopicConfig.RETENTION_BYTES, LONG),
            Map.entry(TopicConfig.RETENTION_MS, LONG),
            Map.entry(TopicConfig.SEGMENT_BYTES, INT),
            Map.entry(TopicConfig.SEGMENT_MS, LONG));
    private static final byte UNKNOWN_TYPE = 0;

    private record Resource(byte type, String name, List<String> keys) {
        boolean wants(String key) {
            return keys == null || keys.contains(key);
        }
    }

    private record Synonym(String name, String value, byte source) {
    }

    private record Entry(String name, String value, boolean readOnly, byte source, List<Synonym> synonyms, byte type,
                         String documentation) {
    }

    private record Result(Resource resource, Errors error, String message, List<Entry> entries) {
        static Result refused(Resource resource, Errors error, String message) {
            return new Result(resource, error, message, List.of());
        }
    }

    private final AuthHelper auth;

    Api32DescribeConfigs(Broker broker, AuthHelper auth) {
        super(broker, 32, "DescribeConfigs", 1, 4, 4);
        this.auth = auth;
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        short version = request.version();
        ProtocolReader in = request.body();
        List<Resource> resources = in.array("resources", resource -> {
            Resource asked = new Resource(resource.int8("resource_type"), resource.string("resource_name"),
                    resource.nullableArray("configuration_keys", key -> key.string("configuration key")));
            resource.taggedFields("DescribeConfigsResource");
            return asked;
        });
        boolean synonyms = in.bool("include_synonyms");
        boolean documentation = version >= 3 && in.bool("include_documentation");
        in.taggedFields("DescribeConfigsRequest");
        request.asked(Summaries.list(resources.stream().map(r -> typeName(r.type()) + " " + r.name()
                + (r.keys() == null ? "" : " " + r.keys())).toList()));

        List<Result> results = new ArrayList<>();
        List<Result> refused = new ArrayList<>();
        for (Resource resource : resources) {
            Result unauthorized = unauthorized(request, resource);
            if (unauthorized != null) {
                refused.add(unauthorized);
                continue;
            }
            results.add(switch (resource.type()) {
                case TOPIC -> describeTopic(resource, synonyms, documentation);
                case BROKER -> describeBroker(resource, synonyms, documentation);
                case GROUP -> describeGroup(resource, synonyms);
                default -> Result.refused(resource, Errors.INVALID_REQUEST, "resource type " + resource.type()
                        + " is not one this broker describes: it describes topics (2), brokers (4) and groups (32)");
            });
        }
        results.addAll(refused); // Kafka answers the refused ones last
        request.answered(Summaries.list(results.stream().map(r -> r.resource().name() + " " + (r.error() == Errors.NONE
                ? r.entries().size() + " configs" : r.error() + " (" + r.message() + ")")).toList()));
        return CompletableFuture.completedFuture(answer(request, results));
    }

    /** The refusal of a resource the principal may not DESCRIBE_CONFIGS, or null when it may. */
    private Result unauthorized(Request request, Resource resource) {
        return switch (resource.type()) {
            case TOPIC -> auth.authorize(request, AclOperation.DESCRIBE_CONFIGS, ResourceType.TOPIC, resource.name())
                    ? null : Result.refused(resource, Errors.TOPIC_AUTHORIZATION_FAILED, "Topic authorization failed.");
            case GROUP -> auth.authorize(request, AclOperation.DESCRIBE_CONFIGS, ResourceType.GROUP, resource.name())
                    ? null : Result.refused(resource, Errors.GROUP_AUTHORIZATION_FAILED, "Group authorization failed.");
            case BROKER -> auth.authorize(request, AclOperation.DESCRIBE_CONFIGS, ResourceType.CLUSTER,
                    ResourcePattern.CLUSTER_NAME) ? null
                    : Result.refused(resource, Errors.CLUSTER_AUTHORIZATION_FAILED, "Cluster authorization failed.");
            default -> null;
        };
    }

    private Result describeTopic(Resource resource, boolean withSynonyms, boolean withDocumentation) {
        Broker.TopicInfo topic;
        try {
            topic = broker.describeTopic(resource.name());
        } catch (ApiException e) {
            return Result.refused(resource, e.error(), e.getMessage());
        }
        List<Entry> entries = new ArrayList<>();
        topic.config().forEach((key, value) -> {
            if (!resource.wants(key)) {
                return;
            }
            TopicConfig.Key known = TopicConfig.keys().get(key);
            boolean set = topic.overrides().containsKey(key);
            String inheritedFrom = TopicInheritance.brokerSettingOf(key);
            boolean fromBroker = inheritedFrom != null && topic.inherited().containsKey(key);
            List<Synonym> synonyms = new ArrayList<>();
            if (set) { // Kafka lists every level that gives the key a value, the one in force first
                synonyms.add(new Synonym(key, value, SOURCE_TOPIC_CONFIG));
            }
            if (fromBroker) {
                broker.dynamicConfigs().synonyms(inheritedFrom).stream()
                        .filter(level -> level.source() != DynamicBrokerConfigs.Source.DEFAULT_CONFIG)
                        .forEach(level -> synonyms.add(synonym(level)));
            }
            synonyms.add(new Synonym(key, known.defaultValue(), code(DynamicBrokerConfigs.Source.DEFAULT_CONFIG)));
            byte source = synonyms.get(0).source();
            entries.add(new Entry(key, value, false, source, withSynonyms ? synonyms : List.of(),
                    TOPIC_CONFIG_TYPES.getOrDefault(key, UNKNOWN_TYPE), withDocumentation ? known.meaning() : null));
        });
        return new Result(resource, Errors.NONE, null, entries);
    }

    private Result describeBroker(Resource resource, boolean withSynonyms, boolean withDocumentation) {
        DynamicBrokerConfigs dynamic = broker.dynamicConfigs();
        List<Entry> entries = new ArrayList<>();
        if (resource.name().isEmpty()) { // the cluster-wide default level: what was changed there, nothing else
            dynamic.at(DynamicBrokerConfigs.Level.CLUSTER_DEFAULT).forEach((name, value) -> {
                if (resource.wants(name)) {
                    byte source = code(DynamicBrokerConfigs.Source.DYNAMIC_DEFAULT_BROKER_CONFIG);
                    entries.add(new Entry(name, value, false, source, withSynonyms ? List.of(new Synonym(name, value,
                            source)) : List.of(), UNKNOWN_TYPE, withDocumentation ? meaning(name) : null));
                }
            });
            return new Result(resource, Errors.NONE, null, entries);
        }
        if (!resource.name().equals(String.valueOf(broker.nodeId()))) {
            return Result.refused(resource, Errors.INVALID_REQUEST, "broker '" + resource.name() + "' is not this"
                    + " broker: its node id is " + broker.nodeId() + " (or give an empty name for cluster defaults)");
        }
        BrokerConfig config = dynamic.current();
        for (Setting setting : BrokerConfig.settings()) {
            if (!setting.name().equals(setting.kafkaName()) || !resource.wants(setting.name())) {
                continue; // a setting of the course's own, or under a name Kafka gives to something else
            }
            if (BrokerConfig.AUTHORIZER_OWN.contains(setting.name())
                    && config.sourceOf(setting.name()).equals("default")) {
                continue; // the authorizer's own settings, which Kafka lists only when the broker was given them
            }
            List<Synonym> synonyms = dynamic.synonyms(setting.name()).stream().map(Api32DescribeConfigs::synonym).toList();
            entries.add(new Entry(setting.name(), config.get(setting.name()),
                    !BrokerConfig.DYNAMIC.contains(setting.name()), synonyms.get(0).source(),
                    withSynonyms ? synonyms : List.of(), UNKNOWN_TYPE, withDocumentation ? setting.meaning() : null));
        }
        dynamic.at(DynamicBrokerConfigs.Level.BROKER).forEach((name, value) -> {
            if (DynamicBrokerConfigs.isInert(name) && resource.wants(name)) {
                List<Synonym> synonyms = dynamic.synonyms(name).stream().map(Api32DescribeConfigs::synonym).toList();
                entries.add(new Entry(name, value, false, synonyms.get(0).source(), withSynonyms ? synonyms : List.of(),
                        UNKNOWN_TYPE, withDocumentation ? "Kafka's SASL listener setting, kept: this broker has no GSSAPI"
                        + " or OAUTHBEARER to apply it to" : null));
            }
        });
        return new Result(resource, Errors.NONE, null, entries);
    }

    private static String meaning(String setting) {
        return BrokerConfig.settings().stream().filter(s -> s.name().equals(setting)).findFirst()
                .map(Setting::meaning).orElse(null);
    }

    private static Synonym synonym(DynamicBrokerConfigs.Synonym level) {
        return new Synonym(level.name(), level.value(), code(level.source()));
    }

    /** Kafka's DescribeConfigsResponse.ConfigSource code for where a value comes from. */
    static byte code(DynamicBrokerConfigs.Source source) {
        return switch (source) {
            case DYNAMIC_BROKER_CONFIG -> 2;
            case DYNAMIC_DEFAULT_BROKER_CONFIG -> 3;
            case STATIC_BROKER_CONFIG -> 4;
            case DEFAULT_CONFIG -> 5;
        };
    }

    /** Any group but the nameless one, as Kafka answers whether or not the group exists: every group config. */
    private Result describeGroup(Resource resource, boolean withSynonyms) {
        if (resource.name().isEmpty()) {
            return Result.refused(resource, Errors.INVALID_REQUEST, "Group name must not be empty");
        }
        List<Entry> entries = new ArrayList<>();
        for (DynamicGroupConfigs.Described config : broker.groupConfigs().describe(resource.name())) {
            if (!resource.wants(config.name())) {
                continue;
            }
            List<Synonym> synonyms = config.levels().stream().map(level -> new Synonym(level.name(), level.value(),
                    level.brokerSource() == null ? SOURCE_GROUP_CONFIG : code(level.brokerSource()))).toList();
            entries.add(new Entry(config.name(), config.value(), false, synonyms.get(0).source(),
                    withSynonyms ? synonyms : List.of(), groupType(config.type()), null));
        }
        return new Result(resource, Errors.NONE, null, entries);
    }

    /** Kafka's ConfigDef type code for a group config's type. */
    private static byte groupType(GroupConfigKeys.Type type) {
        return switch (type) {
            case BOOLEAN -> BOOLEAN;
            case STRING -> STRING;
            case INT -> INT;
            case LONG -> LONG;
            case LIST -> LIST;
        };
    }

    private static ProtocolWriter answer(Request request, List<Result> results) {
        short version = request.version();
        ProtocolWriter out = responseWithThrottleTime(request);
        out.array(results, (w, result) -> {
            w.int16(result.error().code()).nullableString(result.message())
                    .int8(result.resource().type()).string(result.resource().name());
            w.array(result.entries(), (e, entry) -> {
                e.string(entry.name()).nullableString(entry.value()).bool(entry.readOnly())
                        .int8(entry.source()).bool(false); // never sensitive
                e.array(entry.synonyms(), (s, synonym) -> s.string(synonym.name())
                        .nullableString(synonym.value()).int8(synonym.source()).taggedFields());
                if (version >= 3) {
                    e.int8(entry.type()).nullableString(entry.documentation());
                }
                e.taggedFields();
            });
            w.taggedFields();
        });
        return out.taggedFields();
    }

    /** A resource type's name in what the config APIs trace and refuse with. */
    static String typeName(byte type) {
        return switch (type) {
            case TOPIC -> "topic";
            case BROKER -> "broker";
            case GROUP -> "group";
            default -> "resource type " + type;
        };
    }
}
