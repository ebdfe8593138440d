package toykafka.cli;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import toykafka.common.ApiException;

/**
 * A command that is a client of a running broker, talking to it through lesson 10's client library,
 * {@code toykafka.client}. It fails in the command line's one line, saying what a user needs: a refusal
 * leads with Kafka's name for the error, as the broker's reply does, and a broker that does not answer is
 * named with its address and how to start one.
 */
abstract class ClientCommand implements Runnable {

    private static final String DEFAULT_BROKER = "http://127.0.0.1:8082";

    @Option(names = "--broker", paramLabel = "URL",
            description = "the broker's address (default: the environment variable TOYKAFKA_BROKER, else " + DEFAULT_BROKER + ")")
    String broker;

    /** The command's work, with the broker at {@code address}. */
    abstract void talkTo(String address);

    @Override
    public final void run() {
        try {
            talkTo(address());
        } catch (ApiException | UncheckedIOException failure) {
            throw new IllegalStateException(explain(failure), failure);
        }
    }

    /** {@code --broker}, else TOYKAFKA_BROKER, else the broker's default address. */
    private String address() {
        String chosen = broker != null ? broker : System.getenv().getOrDefault("TOYKAFKA_BROKER", DEFAULT_BROKER);
        if (!chosen.startsWith("http://")) {
            throw new IllegalArgumentException("--broker takes an address such as " + DEFAULT_BROKER + ", was " + chosen);
        }
        return chosen;
    }

    /** What went wrong, in the words a user of the command line needs. */
    String explain(RuntimeException failure) {
        if (failure instanceof ApiException refused) {
            return refused.error().name() + ": " + refused.getMessage();
        }
        if (failure.getCause() instanceof ConnectException) {
            return "no broker answers at " + address() + ": start one with ./toykafka broker, or name another with --broker";
        }
        return failure.getMessage();
    }

    /** A client command about one topic, named on its command line: produce orders, topics describe orders. */
    abstract static class WithTopic extends ClientCommand {
        @Parameters(paramLabel = "TOPIC")
        String topic;
    }
}
