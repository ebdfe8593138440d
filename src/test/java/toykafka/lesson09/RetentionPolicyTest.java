package toykafka.lesson09;

/** The retention contract run against Kafka's rules, which {@link FileLog#applyRetention()} follows. */
class RetentionPolicyTest extends RetentionPolicyContract {

    @Override
    protected RetentionPolicy newPolicy() {
        return new TimeAndSizeRetention();
    }
}
