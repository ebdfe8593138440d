package toykafka.broker.group.base;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Tells the broker's event log of a refused join once per group, member and reason, not once per attempt: a client
 * that retries a refused join every few milliseconds would otherwise fill the log with the same line (a spinning
 * consumer wrote hundreds a minute). The numbers in a reason (bytes, counts) may differ from one attempt to the
 * next and do not make it another reason. The most recent {@value #REMEMBERED} are remembered, so a long-running
 * broker forgets the oldest and may tell of one again.
 */
public final class RefusedJoins {

    static final int REMEMBERED = 10_000;

    private final Consumer<String> events;
    private final Map<String, Boolean> told = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    };

    public RefusedJoins(Consumer<String> events) {
        this.events = events;
    }

    /**
     * Tells of a refused join unless this member of this group was refused for this reason already.
     *
     * @param member the member id, or for a first join that has none, the client id and host it came from
     */
    public void refused(String groupId, String member, String reason, String line) {
        String key = groupId + '\u0000' + member + '\u0000' + reason.replaceAll("[0-9]+", "#");
        boolean first;
        synchronized (told) {
            first = told.put(key, Boolean.TRUE) == null;
        }
        if (first) {
            events.accept(line);
        }
    }
}
