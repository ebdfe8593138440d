package toykafka.broker.group.consumer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import toykafka.common.TopicId;
import toykafka.broker.group.base.DescribableTopics;
import toykafka.broker.group.base.TopicLookup;

/**
 * The topics a consumer group's members read, as its assignor needs them: each member's named topics and those its
 * regular expression matches, looked up in the broker's topics for their ids and partition counts (Kafka keeps the
 * same as the group's subscription metadata). Guarded by its group's lock.
 */
final class SubscribedTopics {

    /** The subscribed topics that exist, by name: what the targets were last computed from. */
    private Map<String, TopicLookup.Topic> topics = Map.of();
    /** What each member's expression matched, among {@link #resolvedAmong}: kept while those names stand. */
    private final Map<String, List<String>> matchedByRegex = new HashMap<>();
    private List<String> resolvedAmong = List.of();
    /** Expressions a member brought at the last refresh, to be matched at the next. */
    private final Set<String> awaitingResolution = new HashSet<>();
    /** Which topics the member that last brought an expression may describe: its matches are filtered by it. */
    private DescribableTopics awaitingFor = DescribableTopics.ALL;
    /**
     * Set when the expressions were matched at start, with no member to ask for: the first heartbeat that comes with
     * an authorizer's answer matches them again, so a restart hands nobody a topic the authorizer would hide.
     */
    private boolean unfiltered;
    private long compilations;
    /** The lookup's version when the topics were last looked up, or -1 for never. */
    private long lookedUpAt = -1;
    /**
     * Set when the group was replayed at start: its next refresh resolves every expression at once and moves no
     * epoch, since the targets replayed were computed from these same topics.
     */
    private boolean restored;

    /** The group was replayed at start, its members' topics not yet looked up. */
    void restored() {
        restored = true;
    }

    // tag::regex[]
    /**
     * Looks the subscribed topics up again, each member's named ones and those its regular expression matches (the
     * whole name, as RE2/J's {@code matches}), and puts in {@code members} each member whose topics changed with its
     * new ones: true if a topic was made, deleted or grown since, or a member's topics changed, which moves the
     * group's epoch on. Nothing is looked up again while no subscription changed and the broker's topics did not:
     * a heartbeat that only says a member is alive costs nothing here, however large the group. An expression's
     * matches are those the member whose heartbeat matched it may describe ({@code describable}), for the whole
     * group, as Kafka resolves a group's expressions with the request context of the heartbeat that asked.
     */
    boolean refresh(Map<String, ConsumerGroupMember> members, boolean subscriptionChanged, TopicLookup lookup,
                    DescribableTopics describable) {
        long version = lookup.version();
        boolean refilter = unfiltered && describable != DescribableTopics.ALL;
        if (!subscriptionChanged && awaitingResolution.isEmpty() && !refilter && version >= 0
                && version == lookedUpAt) {
            return false;
        }
        lookedUpAt = version;
        resolveRegexes(members, lookup, describable, refilter);
        Map<String, TopicLookup.Topic> now = new TreeMap<>();
        // members that ask for the same are resolved once: in a large group most ask for the same topics
        Map<List<Object>, List<String>> resolvedBySubscription = new HashMap<>();
        boolean memberChanged = false;
        for (Map.Entry<String, ConsumerGroupMember> entry : members.entrySet()) {
            ConsumerGroupMember member = entry.getValue();
            List<String> found = resolvedBySubscription.computeIfAbsent(
                    Arrays.asList(member.subscribedTopics(), member.subscribedRegex()),
                    subscription -> resolve(member, lookup, now));
            if (!found.equals(member.resolvedTopics())) {
                memberChanged = true;
                entry.setValue(member.withResolvedTopics(found)); // only what it resolves to: no bytes, no deadline
            }
        }
        boolean quiet = restored;
        restored = false;
        if (now.equals(topics) && !memberChanged) {
            return false;
        }
        topics = Map.copyOf(now);
        return !quiet;
    }

    /** A member's named topics and those its expression matched, those that exist, each put in {@code now}. */
    private List<String> resolve(ConsumerGroupMember member, TopicLookup lookup, Map<String, TopicLookup.Topic> now) {
        SortedSet<String> resolved = new TreeSet<>(member.subscribedTopics());
        if (member.subscribedRegex() != null) {
            resolved.addAll(matchedByRegex.getOrDefault(member.subscribedRegex(), List.of()));
        }
        List<String> found = new ArrayList<>();
        for (String name : resolved) {
            TopicLookup.Topic topic = lookup.topic(name);
            if (topic != null) {
                now.put(name, topic);
                found.add(name);
            }
        }
        return List.copyOf(found);
    }

    /**
     * Each distinct expression of the group is compiled once and matched against the broker's topic names, again
     * only when those names change: a heartbeat costs a lookup, as Kafka's coordinator keeps each expression's
     * resolved topics for the group. The compiled program is dropped at once; one that RE2/J runs out of stack
     * matching matches nothing ({@link TopicRegex}). An expression new to the group is resolved at the group's next
     * heartbeat, not in the one that brought it, as Kafka resolves it in the background after that heartbeat: the
     * member's named topics are assigned first, its matches a heartbeat later.
     */
    private void resolveRegexes(Map<String, ConsumerGroupMember> members, TopicLookup lookup,
                                DescribableTopics describable, boolean refilter) {
        Set<String> regexes = forgetRegexesNoneUses(members);
        if (regexes.isEmpty()) {
            return;
        }
        List<String> names = lookup.names();
        boolean namesChanged = !names.equals(resolvedAmong) || refilter;
        resolvedAmong = List.copyOf(names);
        DescribableTopics broughtBy = awaitingFor;
        for (String regex : regexes) {
            boolean known = matchedByRegex.containsKey(regex);
            if (known ? namesChanged : awaitingResolution.remove(regex) | restored) {
                compilations++;
                DescribableTopics asking = known || restored ? describable : broughtBy;
                matchedByRegex.put(regex, asking.of(TopicRegex.matching(regex, resolvedAmong)));
            } else if (!known) {
                awaitingResolution.add(regex);
                awaitingFor = describable;
            }
        }
        unfiltered = restored && describable == DescribableTopics.ALL || unfiltered && !refilter;
    }
    // end::regex[]

    /**
     * Forgets what the expressions no member subscribes with any more matched, as Kafka deletes a group's resolved
     * expression when its last member leaves: one brought back later is new again. Returns those still in use.
     */
    Set<String> forgetRegexesNoneUses(Map<String, ConsumerGroupMember> members) {
        Set<String> regexes = members.values().stream().map(ConsumerGroupMember::subscribedRegex)
                .filter(Objects::nonNull).collect(Collectors.toSet());
        matchedByRegex.keySet().retainAll(regexes);
        awaitingResolution.retainAll(regexes);
        return regexes;
    }

    /** How many times an expression was compiled (for tests: once per distinct expression and set of topics). */
    long compilations() {
        return compilations;
    }

    /** The ids of the topics a member reads. */
    Set<TopicId> idsOf(ConsumerGroupMember member) {
        return member.resolvedTopics().stream().map(topics::get).filter(Objects::nonNull).map(TopicLookup.Topic::id)
                .collect(Collectors.toSet());
    }

    /** Each subscribed topic's partition count, by id. */
    Map<TopicId, Integer> partitionCounts() {
        Map<TopicId, Integer> partitions = new HashMap<>();
        topics.values().forEach(topic -> partitions.put(topic.id(), topic.partitions()));
        return partitions;
    }

    /** A subscribed topic as it was last looked up, or null. */
    TopicLookup.Topic topic(String name) {
        return topics.get(name);
    }

    /** Each subscribed topic's name, by id. */

    Map<TopicId, String> names() {
        Map<TopicId, String> names = new HashMap<>();
        topics.forEach((name, topic) -> names.put(topic.id(), name));
        return names;
    }
}
