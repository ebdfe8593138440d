package toykafka.http;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import toykafka.common.Errors;

/**
 * Reads a request's body whole without a thread waiting for it: each chunk is copied as it arrives, and
 * when none is there the reader asks to be called again when one is. A body may be at most
 * {@code socket.request.max.bytes}; all the bodies held at once, at most {@code queued.max.request.bytes}
 * (the {@link Budget}), so a thousand clients that each announce a large body cannot exhaust the heap.
 */
final class BodyReader implements Runnable {

    /** The bytes of request bodies held across the front end, from the first chunk until the reply is sent. */
    static final class Budget {
        private final long bound;
        private final AtomicLong held = new AtomicLong();

        Budget(long bound) {
            this.bound = bound;
        }

        boolean take(long bytes) {
            if (held.addAndGet(bytes) <= bound) {
                return true;
            }
            held.addAndGet(-bytes);
            return false;
        }

        void give(long bytes) {
            held.addAndGet(-bytes);
        }

        /** Bytes held now, for tests and statistics. */
        long held() {
            return held.get();
        }
    }

    /** A client still sending a refused body may be read this many times the limit, so it sees the refusal. */
    private static final long DRAIN_FACTOR = 16;

    private final Request request;
    private final int maxBytes;
    private final Budget budget;
    private final CompletableFuture<byte[]> done = new CompletableFuture<>();
    private byte[] bytes;
    private int size;
    private long taken;
    private long drained;
    private HttpError refusal;

    private BodyReader(Request request, int maxBytes, Budget budget) {
        this.request = request;
        this.maxBytes = maxBytes;
        this.budget = budget;
        long declared = request.getLength();
        this.bytes = new byte[declared > 0 && declared <= maxBytes ? (int) declared : 0];
    }

    /** Starts reading; the future completes with the body, or fails with the refusal that names the limit. */
    static BodyReader start(Request request, int maxBytes, Budget budget) {
        BodyReader reader = new BodyReader(request, maxBytes, budget);
        long declared = request.getLength();
        if (declared > maxBytes) {
            reader.refusal = reader.tooLarge(declared + " bytes");
            if (declared > DRAIN_FACTOR * maxBytes) {
                reader.done.completeExceptionally(reader.refusal); // too much to read just to be polite
                return reader;
            }
        }
        reader.run();
        return reader;
    }

    CompletableFuture<byte[]> body() {
        return done;
    }

    /** Gives the body's bytes back to the budget: called once the reply is sent. */
    void release() {
        budget.give(taken);
        taken = 0;
    }

    @Override
    public void run() {
        while (!done.isDone()) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                request.demand(this);
                return;
            }
            if (Content.Chunk.isFailure(chunk)) {
                done.completeExceptionally(notArrived(chunk.getFailure()));
                return;
            }
            try {
                accept(chunk.getByteBuffer());
            } finally {
                chunk.release();
            }
            if (chunk.isLast()) {
                if (refusal != null) {
                    done.completeExceptionally(refusal);
                } else {
                    done.complete(size == bytes.length ? bytes : Arrays.copyOf(bytes, size));
                }
            }
        }
    }

    private void accept(ByteBuffer chunk) {
        int n = chunk.remaining();
        if (refusal != null) {
            drained += n;
            if (drained > DRAIN_FACTOR * maxBytes) {
                done.completeExceptionally(refusal);
            }
            return;
        }
        if ((long) size + n > maxBytes) {
            refusal = tooLarge("more than " + maxBytes + " bytes");
            drained = size + n;
            return;
        }
        if (!budget.take(n)) {
            done.completeExceptionally(overBudget(budget));
            return;
        }
        taken += n;
        if (size + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, (int) Math.min(maxBytes, Math.max(size + n, 2L * bytes.length + 1024)));
        }
        chunk.get(bytes, size, n);
        size += n;
    }

    /** Why a body stopped arriving: the client went quiet for idle.timeout.ms (408), or the connection broke. */
    static HttpError notArrived(Throwable failure) {
        return failure instanceof TimeoutException
                ? new HttpError(408, "the request body stopped arriving: nothing came for idle.timeout.ms")
                : new HttpError(400, "the request body did not arrive whole: " + failure.getMessage());
    }

    /** The refusal when request bodies held across the front end would pass queued.max.request.bytes. */
    static HttpError overBudget(Budget budget) {
        return new HttpError(503, Errors.THROTTLING_QUOTA_EXCEEDED, "the broker holds queued.max.request.bytes="
                + budget.bound + " bytes of request bodies already; send this again in a moment");
    }

    private HttpError tooLarge(String sent) {
        return new HttpError(413, Errors.MESSAGE_TOO_LARGE, "the request body (" + sent + ") is larger than"
                + " socket.request.max.bytes=" + maxBytes + " bytes; send fewer or smaller records per request");
    }
}
