package toykafka.broker.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.common.Errors;
import toykafka.common.InvalidConfigurationException;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ClientQuotaSettingsTest {

    private static ClientQuotaAlteration set(ClientQuotaEntity entity, String key, Double value) {
        return new ClientQuotaAlteration(entity, List.of(new ClientQuotaAlteration.Op(key, value)));
    }

    private static ClientQuotaSettings.Result only(List<ClientQuotaSettings.Result> results) {
        assertEquals(1, results.size(), results.toString());
        return results.get(0);
    }

    @Test
    void values_are_refused_in_kafkas_words() {
        ClientQuotaSettings settings = ClientQuotaSettings.inMemory();
        ClientQuotaEntity alice = ClientQuotaEntity.of("alice", null);
        Map<String, Double> refused = Map.of("producer_byte_rate", 0.0, "consumer_byte_rate", 10.5,
                "request_percentage", -1.0, "unknown_rate", 5.0);
        Map<String, String> messages = Map.of("producer_byte_rate", "Quota producer_byte_rate must be greater than 0",
                "consumer_byte_rate", "consumer_byte_rate cannot be a fractional value.",
                "request_percentage", "Quota request_percentage must be greater than 0",
                "unknown_rate", "Invalid configuration key unknown_rate");
        refused.forEach((key, value) -> {
            ClientQuotaSettings.Result result = only(settings.alter(List.of(set(alice, key, value)), false));
            assertEquals(Errors.INVALID_REQUEST, result.error());
            assertEquals(messages.get(key), result.message());
        });
        assertEquals(Errors.NONE, only(settings.alter(List.of(set(alice, "request_percentage", 12.5)), false)).error());
        assertEquals(Errors.NONE, only(settings.alter(List.of(set(alice, "controller_mutation_rate", 0.5)), false)).error());
        assertEquals("Invalid empty client quota entity", only(settings.alter(List.of(
                set(new ClientQuotaEntity(Map.of()), "producer_byte_rate", 1.0)), false)).message());
        assertEquals("Empty user not supported", only(settings.alter(List.of(
                set(ClientQuotaEntity.of("", null), "producer_byte_rate", 1.0)), false)).message());
        assertEquals("Unhandled client quota entity type: group", only(settings.alter(List.of(
                set(new ClientQuotaEntity(Map.of("group", "g")), "producer_byte_rate", 1.0)), false)).message());
    }

    @Test
    void a_key_named_twice_or_an_entity_altered_twice_is_refused_and_the_others_are_made() {
        ClientQuotaSettings settings = ClientQuotaSettings.inMemory();
        ClientQuotaEntity app = ClientQuotaEntity.of(null, "app");
        ClientQuotaEntity bob = ClientQuotaEntity.of("bob", null);
        List<ClientQuotaSettings.Result> results = settings.alter(List.of(
                new ClientQuotaAlteration(app, List.of(new ClientQuotaAlteration.Op("producer_byte_rate", 1.0),
                        new ClientQuotaAlteration.Op("producer_byte_rate", 2.0))),
                set(bob, "consumer_byte_rate", 2048.0)), false);
        assertEquals("Ignoring duplicate entity client-id=app", results.get(0).message());
        assertEquals(Errors.NONE, results.get(1).error());
        assertNull(settings.quota(app, QuotaType.PRODUCE));
        assertEquals(2048.0, settings.quota(bob, QuotaType.FETCH));
    }

    @Test
    void validate_only_changes_nothing_and_a_removal_of_the_last_key_forgets_the_entity() {
        ClientQuotaSettings settings = ClientQuotaSettings.inMemory();
        ClientQuotaEntity app = ClientQuotaEntity.of(null, "app");
        settings.alter(List.of(set(app, "producer_byte_rate", 1024.0)), true);
        assertNull(settings.quota(app, QuotaType.PRODUCE));
        settings.alter(List.of(set(app, "producer_byte_rate", 1024.0)), false);
        assertEquals(1, settings.describe(new ClientQuotaFilter(List.of(), false)).size());
        settings.alter(List.of(set(app, "producer_byte_rate", null)), false);
        assertTrue(settings.describe(new ClientQuotaFilter(List.of(), false)).isEmpty());
    }

    @Test
    void quotas_outlive_a_restart_in_the_data_directory_names_and_defaults_apart(@TempDir Path dir) {
        ClientQuotaSettings settings = ClientQuotaSettings.open(dir);
        Map<String, String> odd = new HashMap<>();
        odd.put(ClientQuotaEntity.USER, "User with/slash and <default>");
        odd.put(ClientQuotaEntity.CLIENT_ID, null);
        ClientQuotaEntity oddEntity = new ClientQuotaEntity(odd);
        settings.alter(List.of(set(oddEntity, "producer_byte_rate", 100.0),
                set(ClientQuotaEntity.of("<default>", null), "consumer_byte_rate", 200.0),
                set(ClientQuotaEntity.of(null, "app"), "request_percentage", 12.5)), false);
        ClientQuotaSettings reopened = ClientQuotaSettings.open(dir);
        assertEquals(100.0, reopened.quota(oddEntity, QuotaType.PRODUCE));
        assertEquals(200.0, reopened.quota(ClientQuotaEntity.of("<default>", null), QuotaType.FETCH));
        assertEquals(12.5, reopened.quota(ClientQuotaEntity.of(null, "app"), QuotaType.REQUEST));
        assertNull(reopened.quota(ClientQuotaEntity.of("<default>", "<default>"), QuotaType.PRODUCE));
    }

    @Test
    void a_hand_edited_line_that_is_no_quota_is_refused_naming_it(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(ClientQuotaSettings.FILE), "users/alice producer_byte_rate=-5\n");
        InvalidConfigurationException refused = assertThrows(InvalidConfigurationException.class,
                () -> ClientQuotaSettings.open(dir));
        assertTrue(refused.getMessage().contains("users/alice producer_byte_rate=-5"), refused.getMessage());
        assertTrue(refused.getMessage().contains("must be greater than 0"), refused.getMessage());
    }

    @Test
    void describe_filters_match_exact_names_defaults_and_any_name_strictly_or_not() {
        ClientQuotaSettings settings = ClientQuotaSettings.inMemory();
        for (String[] entity : new String[][] {{"alice", null}, {"alice", "app"}, {null, "app"}, {"<default>", null},
                {"<default>", "<default>"}}) {
            settings.alter(List.of(set(ClientQuotaEntity.of(entity[0], entity[1]), "producer_byte_rate", 1.0)), false);
        }
        assertEquals(List.of("user=alice", "user=alice, client-id=app"), described(settings, false,
                new ClientQuotaFilter.Component("user", ClientQuotaFilter.MATCH_TYPE_EXACT, "alice")));
        assertEquals(List.of("user=alice"), described(settings, true,
                new ClientQuotaFilter.Component("user", ClientQuotaFilter.MATCH_TYPE_EXACT, "alice")));
        assertEquals(List.of("user=<default>"), described(settings, true,
                new ClientQuotaFilter.Component("user", ClientQuotaFilter.MATCH_TYPE_DEFAULT, null)));
        assertEquals(List.of("user=<default>", "user=alice"), described(settings, true,
                new ClientQuotaFilter.Component("user", ClientQuotaFilter.MATCH_TYPE_SPECIFIED, null)));
        assertEquals(5, described(settings, false).size());
        assertEquals("Entity type user cannot appear more than once in the filter.", assertThrows(
                toykafka.common.InvalidRequestException.class, () -> new ClientQuotaFilter(List.of(
                        new ClientQuotaFilter.Component("user", ClientQuotaFilter.MATCH_TYPE_DEFAULT, null),
                        new ClientQuotaFilter.Component("user", ClientQuotaFilter.MATCH_TYPE_SPECIFIED, null)), false))
                .getMessage());
        assertEquals(Errors.UNSUPPORTED_VERSION, assertThrows(ClientQuotaFilter.UnsupportedEntityTypeException.class,
                () -> new ClientQuotaFilter(List.of(new ClientQuotaFilter.Component("group",
                        ClientQuotaFilter.MATCH_TYPE_SPECIFIED, null)), false)).error());
    }

    private static List<String> described(ClientQuotaSettings settings, boolean strict,
                                          ClientQuotaFilter.Component... components) {
        return settings.describe(new ClientQuotaFilter(Arrays.asList(components), strict)).stream()
                .map(entry -> entry.getKey().toString()).sorted().toList();
    }
}
