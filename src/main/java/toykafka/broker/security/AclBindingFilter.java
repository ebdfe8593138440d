package toykafka.broker.security;

/** Which ACLs DescribeAcls lists or DeleteAcls removes (Kafka's {@code AclBindingFilter}). */
public record AclBindingFilter(ResourcePatternFilter patternFilter, AccessControlEntryFilter entryFilter) {

    /** Every ACL. */
    public static final AclBindingFilter ANY = new AclBindingFilter(ResourcePatternFilter.ANY,
            AccessControlEntryFilter.ANY);

    public boolean isUnknown() {
        return patternFilter.isUnknown() || entryFilter.isUnknown();
    }

    public boolean matches(AclBinding binding) {
        return patternFilter.matches(binding.pattern()) && entryFilter.matches(binding.entry());
    }
}
