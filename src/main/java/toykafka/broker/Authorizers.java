package toykafka.broker;

import java.nio.file.Path;
import toykafka.broker.config.BrokerConfig;
import toykafka.broker.security.AclFile;
import toykafka.broker.security.Authorizer;
import toykafka.broker.security.StandardAuthorizer;

/**
 * The authorizer {@code authorizer.class.name} names, made once, at start, as Kafka makes its plugin: none when the
 * setting is empty (everyone may do everything, as today), else Kafka's StandardAuthorizer with {@code super.users},
 * {@code allow.everyone.if.no.acl.found}, and its ACLs read from the data directory (in memory without one).
 */
final class Authorizers {

    private Authorizers() {
    }

    /** The authorizer, or null when none is configured. */
    static Authorizer of(BrokerConfig config, Path dataDir) {
        if (config.get(BrokerConfig.AUTHORIZER_CLASS_NAME).isEmpty()) {
            return null;
        }
        return new StandardAuthorizer(StandardAuthorizer.parseSuperUsers(config.get(BrokerConfig.SUPER_USERS)),
                Boolean.parseBoolean(config.get(BrokerConfig.ALLOW_EVERYONE_IF_NO_ACL_FOUND)),
                dataDir == null ? AclFile.inMemory() : AclFile.in(dataDir));
    }
}
