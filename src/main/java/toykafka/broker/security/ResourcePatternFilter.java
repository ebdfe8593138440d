package toykafka.broker.security;

/**
 * Which resource patterns a filter selects (Kafka's {@code ResourcePatternFilter}): a type (ANY for all), a name
 * (null for all) and a pattern type. ANY selects patterns of any type with exactly that name; MATCH selects every
 * pattern that covers the named resource: that literal name, the literal wildcard, and each prefix of it.
 */
public record ResourcePatternFilter(ResourceType resourceType, String name, PatternType patternType) {

    /** Every pattern. */
    public static final ResourcePatternFilter ANY = new ResourcePatternFilter(ResourceType.ANY, null, PatternType.ANY);

    /** Whether a field is a code this broker does not know: such a filter selects nothing it could say. */
    public boolean isUnknown() {
        return resourceType == ResourceType.UNKNOWN || patternType == PatternType.UNKNOWN;
    }

    public boolean matches(ResourcePattern pattern) {
        if (resourceType != ResourceType.ANY && resourceType != pattern.resourceType()) {
            return false;
        }
        if (patternType != PatternType.ANY && patternType != PatternType.MATCH
                && patternType != pattern.patternType()) {
            return false;
        }
        if (name == null) {
            return true;
        }
        if (patternType == PatternType.ANY || patternType == pattern.patternType()) {
            return name.equals(pattern.name());
        }
        return switch (pattern.patternType()) { // MATCH: does the pattern cover the named resource?
            case LITERAL -> name.equals(pattern.name()) || pattern.name().equals(ResourcePattern.WILDCARD_RESOURCE);
            case PREFIXED -> name.startsWith(pattern.name());
            default -> false;
        };
    }
}
