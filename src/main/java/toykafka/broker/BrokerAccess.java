package toykafka.broker;

import java.nio.file.Path;
import java.util.Optional;
import toykafka.broker.config.BrokerConfig;
import toykafka.broker.quota.ClientQuotas;
import toykafka.broker.security.AclFile;
import toykafka.broker.security.Authorizer;
import toykafka.broker.security.ScramCredentials;
import toykafka.broker.security.StandardAuthorizer;

/**
 * Who may do what, and how much: the SCRAM credentials SASL checks a user against, the authorizer {@code
 * authorizer.class.name} names, and the client quotas, each kept in the data directory (in memory without one) and
 * made once, at start, as Kafka makes its authorizer plugin. The core never asks them: the front ends do, before it.
 */
public final class BrokerAccess {

    private final ScramCredentials scramCredentials;
    private final Authorizer authorizer; // null: none configured
    private final ClientQuotas quotas;

    private BrokerAccess(ScramCredentials scramCredentials, Authorizer authorizer, ClientQuotas quotas) {
        this.scramCredentials = scramCredentials;
        this.authorizer = authorizer;
        this.quotas = quotas;
    }

    static BrokerAccess open(BrokerConfig config, Path dataDir) {
        return new BrokerAccess(dataDir == null ? ScramCredentials.inMemory() : ScramCredentials.open(dataDir),
                authorizer(config, dataDir),
                ClientQuotas.open(dataDir, config.quotaWindowNum(), config.quotaWindowSizeSeconds()));
    }

    /**
     * None when {@code authorizer.class.name} is empty (everyone may do everything), else Kafka's StandardAuthorizer
     * with {@code super.users}, {@code allow.everyone.if.no.acl.found} and its ACLs.
     */
    private static Authorizer authorizer(BrokerConfig config, Path dataDir) {
        if (config.get(BrokerConfig.AUTHORIZER_CLASS_NAME).isEmpty()) {
            return null;
        }
        return new StandardAuthorizer(StandardAuthorizer.parseSuperUsers(config.get(BrokerConfig.SUPER_USERS)),
                Boolean.parseBoolean(config.get(BrokerConfig.ALLOW_EVERYONE_IF_NO_ACL_FOUND)),
                dataDir == null ? AclFile.inMemory() : AclFile.in(dataDir));
    }

    /** Every user's SCRAM credentials: salts, iterations and keys, never a password. */
    public ScramCredentials scramCredentials() {
        return scramCredentials;
    }

    /** Who may do what ({@code authorizer.class.name}): empty when everyone may do everything. */
    public Optional<Authorizer> authorizer() {
        return Optional.ofNullable(authorizer);
    }

    /** The client quotas set on this broker, and the managers that measure clients against them. */
    public ClientQuotas quotas() {
        return quotas;
    }
}
