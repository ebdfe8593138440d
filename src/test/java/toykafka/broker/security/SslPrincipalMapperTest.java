package toykafka.broker.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** ssl.principal.mapping.rules maps a certificate's name as Kafka's own mapper does, rule for rule. */
class SslPrincipalMapperTest {

    private static final List<String> NAMES = List.of("CN=alice", "CN=Bob,OU=ServiceUsers,O=Org,L=City,ST=State,C=NL",
            "CN=carol,OU=people,O=course", "OU=nobody,O=course", "CN=dave/x,O=course", "EMAILADDRESS=e@x.org,CN=erin");

    @ParameterizedTest
    @ValueSource(strings = {
            "DEFAULT",
            "RULE:^CN=(.*?),OU=ServiceUsers.*$/$1/,DEFAULT",
            "RULE:^CN=(.*?),OU=(.*?),O=(.*?)$/$1@$2/L, RULE:^CN=(.*?)$/$1/U ,DEFAULT",
            "RULE:^CN=([a-z]+).*$/$1 and $4/",
            "RULE:^.*CN=(.*?)$/user-$1/,RULE:^CN=(.*?),.*$/$1/",
            "RULE:^CN=(.*?)\\/x.*$/slash $1/,DEFAULT"})
    void every_name_maps_as_in_kafka(String rules) throws IOException {
        org.apache.kafka.common.security.ssl.SslPrincipalMapper kafka =
                org.apache.kafka.common.security.ssl.SslPrincipalMapper.fromRules(rules);
        SslPrincipalMapper ours = SslPrincipalMapper.fromRules(rules);
        for (String name : NAMES) {
            String expected;
            try {
                expected = kafka.getName(name);
            } catch (org.apache.kafka.common.security.ssl.SslPrincipalMapper.NoMatchingRule noRule) {
                assertThrows(IllegalArgumentException.class, () -> ours.principalOf(name), rules + " on " + name);
                continue;
            }
            assertEquals(KafkaPrincipal.user(expected), ours.principalOf(name), rules + " on " + name);
        }
    }

    @Test
    void a_malformed_rule_is_refused_naming_what_is_wrong() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> SslPrincipalMapper.fromRules("RULE:^CN=(.*$/$1/"));
        assertEquals(true, refused.getMessage().contains("not a regular expression"), refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SslPrincipalMapper.fromRules("RULE:abc"));
        assertThrows(IllegalArgumentException.class, () -> SslPrincipalMapper.fromRules("DEFAULT DEFAULT"));
    }
}
