package toykafka.kafka;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import toykafka.tools.ThrowawayCa;

/**
 * What a Kafka client, a Connect worker or a Streams app needs to log in as a SCRAM-SHA-512 user over SASL_SSL
 * (trusting the throwaway CA), and what an administrator does first: make the user, grant it ACLs.
 */
final class ScramOverTls {

    private ScramOverTls() {
    }

    /** {@code security.protocol}, {@code sasl.mechanism}, the JAAS line and the truststore, as Kafka's docs show. */
    static Map<String, String> client(String bootstrap, ThrowawayCa.Material certificates, String user,
                                      String password) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("bootstrap.servers", bootstrap);
        settings.put("security.protocol", "SASL_SSL");
        settings.put("sasl.mechanism", "SCRAM-SHA-512");
        settings.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user + "\" password=\"" + password + "\";");
        settings.put("ssl.truststore.type", "PKCS12");
        settings.put("ssl.truststore.location", certificates.trustStore().toString());
        settings.put("ssl.truststore.password", certificates.password());
        return settings;
    }

    static void addUser(Admin admin, String user, String password) throws ExecutionException, InterruptedException {
        admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password))).all().get();
    }

    /** An ALLOW from any host for {@code User:user}. */
    static AclBinding allow(String user, AclOperation operation, ResourceType type, String name, PatternType pattern) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW));
    }
}
