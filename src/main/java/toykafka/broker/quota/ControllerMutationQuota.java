package toykafka.broker.quota;

/**
 * One request's share of a client's {@code controller_mutation_rate}: the partitions it creates or deletes are
 * recorded one topic at a time, and the answer carries the throttle time the last violation left (Kafka's {@code
 * ControllerMutationQuota}). A client no quota applies to gets {@link #UNBOUNDED_CONTROLLER_MUTATION_QUOTA}.
 */
public interface ControllerMutationQuota {

    /** Whether the quota refuses further mutations in this request. */
    boolean isExceeded();

    /**
     * Records {@code permits} partitions created or deleted.
     *
     * @throws ThrottlingQuotaExceededException when a strict quota refuses them
     */
    void record(double permits);

    /** How long the client must wait, as {@code throttle_time_ms}: 0 unless the quota was violated. */
    int throttleTime();

    /** The quota of a client none applies to: every mutation allowed, nothing measured. */
    ControllerMutationQuota UNBOUNDED_CONTROLLER_MUTATION_QUOTA = new ControllerMutationQuota() {
        @Override
        public boolean isExceeded() {
            return false;
        }

        @Override
        public void record(double permits) {
        }

        @Override
        public int throttleTime() {
            return 0;
        }
    };
}
