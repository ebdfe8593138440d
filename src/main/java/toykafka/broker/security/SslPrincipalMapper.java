package toykafka.broker.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Turns a client certificate's distinguished name into a user name, by Kafka's {@code ssl.principal.mapping.rules}
 * (Kafka's {@code SslPrincipalMapper}): a comma-separated list of {@code RULE:pattern/replacement/} (optionally
 * followed by {@code L} or {@code U} to lower or upper the result) and {@code DEFAULT}, the name as it stands. The
 * first rule whose pattern matches the whole name gives the user; with none, the client is refused. The name is the
 * certificate's subject as RFC 2253 writes it, {@code CN=alice,OU=course}, as the JDK's {@code X500Principal} gives it.
 */
public final class SslPrincipalMapper {

    /** Kafka's default: the whole distinguished name is the user, so an ACL names {@code User:CN=alice}. */
    public static final String DEFAULT_RULES = "DEFAULT";

    private static final Pattern RULE = Pattern.compile("RULE:((?:\\\\.|[^\\\\/])*)/((?:\\\\.|[^\\\\/])*)/([LU]?)");
    private static final Pattern BACK_REFERENCE = Pattern.compile("\\$(\\d)");

    private record Rule(Pattern pattern, String replacement, String caseChange) {

        /** The user this rule makes of {@code name}, or null when its pattern does not match it whole. */
        String apply(String name) {
            if (pattern == null) {
                return name;
            }
            Matcher matcher = pattern.matcher(name);
            if (!matcher.matches()) {
                return null;
            }
            String mapped = matcher.replaceAll(literalMissingReferences(replacement, matcher.groupCount()));
            return switch (caseChange) {
                case "L" -> mapped.toLowerCase(Locale.ENGLISH);
                case "U" -> mapped.toUpperCase(Locale.ENGLISH);
                default -> mapped;
            };
        }

        /** {@code $4} with three groups stays the text "$4", as in Kafka, where Java's matcher would fail. */
        private static String literalMissingReferences(String replacement, int groups) {
            return BACK_REFERENCE.matcher(replacement).replaceAll(reference -> {
                int group = reference.group(1).charAt(0) - '0';
                return group > groups ? Matcher.quoteReplacement("\\$" + group) : Matcher.quoteReplacement("$" + group);
            });
        }

        @Override
        public String toString() {
            return pattern == null ? "DEFAULT" : "RULE:" + pattern + "/" + replacement + "/" + caseChange;
        }
    }

    private final List<Rule> rules;

    private SslPrincipalMapper(List<Rule> rules) {
        this.rules = rules;
    }

    /** The mapper of a {@code ssl.principal.mapping.rules} value (null for Kafka's default), or a message naming the bad rule. */
    public static SslPrincipalMapper fromRules(String rules) {
        List<Rule> parsed = new ArrayList<>();
        String text = rules == null ? DEFAULT_RULES : rules.strip();
        int at = 0;
        while (at < text.length()) {
            Matcher rule = RULE.matcher(text).region(at, text.length());
            int end;
            if (text.startsWith("DEFAULT", at)) {
                parsed.add(new Rule(null, null, ""));
                end = at + "DEFAULT".length();
            } else if (rule.lookingAt()) {
                parsed.add(new Rule(compile(rule.group(1)), rule.group(2), rule.group(3)));
                end = rule.end();
            } else {
                throw new IllegalArgumentException("ssl.principal.mapping.rules: expected DEFAULT or"
                        + " RULE:pattern/replacement/ with an optional L or U at '" + text.substring(at) + "'");
            }
            Matcher separator = Pattern.compile("\\s*(,\\s*|$)").matcher(text).region(end, text.length());
            if (!separator.lookingAt()) {
                throw new IllegalArgumentException("ssl.principal.mapping.rules: rules are separated by commas;"
                        + " unexpected '" + text.substring(end) + "'");
            }
            at = separator.end();
        }
        return new SslPrincipalMapper(List.copyOf(parsed));
    }

    private static Pattern compile(String pattern) {
        try {
            return Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("ssl.principal.mapping.rules: '" + pattern + "' is not a regular"
                    + " expression: " + e.getDescription());
        }
    }

    /** The principal of a certificate's subject, by the first rule that matches it. */
    public KafkaPrincipal principalOf(String distinguishedName) {
        for (Rule rule : rules) {
            String user = rule.apply(distinguishedName);
            if (user != null) {
                return KafkaPrincipal.user(user);
            }
        }
        throw new IllegalArgumentException("No rules apply to " + distinguishedName + ", rules " + rules);
    }

    @Override
    public String toString() {
        return "SslPrincipalMapper(rules = " + rules + ")";
    }
}
