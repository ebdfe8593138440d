package toykafka.common;

import java.util.ArrayList;
import java.util.List;

/**
 * Work a request leaves for the purgatories, done after the request is answered: Kafka's {@code DelayedActionQueue},
 * which {@code KafkaApis.handle} drains with {@code ReplicaManager.tryCompleteActions()} once the request is handled.
 * An append adds the completing of the fetches and share fetches parked on its partition; an acknowledgement or a
 * release adds the waking of its group's share fetches there. Completing them means acquiring records, reading logs
 * and building each waiting consumer's answer, and waiting for the share partitions' locks while that happens: work
 * the producer or the acknowledging consumer must not wait for.
 *
 * <p>The threading is the request's own: a front end's handler thread hands each request to {@link #answerFirst}, and
 * the actions the request adds wait in a list of that thread's until the request has been answered (its response
 * handed to the network thread), then run on the same thread, at once. A parked fetch still answers within moments of
 * the append, and no thread or queue is shared. On any other thread (an HTTP produce, the broker's own writes, the
 * lock timer) {@link #add} runs the action at once, as before.
 */
public final class DelayedActionQueue {

    private final ThreadLocal<List<Runnable>> deferred = new ThreadLocal<>();

    /** Runs {@code action} once the request this thread is answering has been answered, or now if it answers none. */
    public void add(Runnable action) {
        List<Runnable> actions = deferred.get();
        if (actions == null) {
            action.run();
        } else {
            actions.add(action);
        }
    }

    /**
     * Handles a request on this thread, {@code handling} answering it where it can, then runs the actions it added:
     * Kafka's {@code handle} then {@code tryCompleteActions()}. An action a later one adds runs at once.
     */
    public void answerFirst(Runnable handling) {
        if (deferred.get() != null) {
            handling.run(); // within another request's handling: that one runs the actions
            return;
        }
        List<Runnable> actions = new ArrayList<>();
        deferred.set(actions);
        try {
            handling.run();
        } finally {
            deferred.remove();
            completeActions(actions);
        }
    }

    /** Runs each action, though one before it fails: every parked fetch it woke gets its try. */
    private static void completeActions(List<Runnable> actions) {
        RuntimeException failed = null;
        for (Runnable action : actions) {
            try {
                action.run();
            } catch (RuntimeException e) {
                if (failed == null) {
                    failed = e;
                } else {
                    failed.addSuppressed(e);
                }
            }
        }
        if (failed != null) {
            throw failed;
        }
    }
}
