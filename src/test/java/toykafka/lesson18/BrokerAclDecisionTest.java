package toykafka.lesson18;

/** The authorizer's contract run against the broker's own StandardAuthorizer. */
class BrokerAclDecisionTest extends AclDecisionContract {

    @Override
    protected AclDecision newDecision() {
        return new BrokerAclDecision();
    }
}
