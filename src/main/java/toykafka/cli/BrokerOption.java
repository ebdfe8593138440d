package toykafka.cli;

import picocli.CommandLine.Option;

/** The broker a client command talks to: {@code --broker}, else TOYKAFKA_BROKER, else the broker's default address. */
final class BrokerOption {

    static final String DEFAULT = "http://127.0.0.1:8082";

    @Option(names = "--broker", paramLabel = "URL",
            description = "the broker's address (default: the environment variable TOYKAFKA_BROKER, else " + DEFAULT + ")")
    String address;

    BrokerHttp connect() {
        String chosen = address != null ? address : System.getenv().getOrDefault("TOYKAFKA_BROKER", DEFAULT);
        return new BrokerHttp(chosen);
    }
}
