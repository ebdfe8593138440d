package toykafka.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import toykafka.tools.ThrowawayCa;

/** {@code toykafka certs}: a throwaway CA with a broker's and clients' certificates, for trying TLS on one machine. */
@Command(name = "certs", mixinStandardHelpOptions = true,
        description = "Makes a throwaway certificate authority, a broker certificate for localhost and one certificate"
                + " per client, as PKCS12 stores and PEM files, with a client settings file each. For one machine"
                + " only: the CA's key is kept unencrypted beside them.")
final class CertsCommand implements Callable<Integer> {

    @Option(names = "--dir", paramLabel = "DIR", description = "where to write them (default: data/generated/certs)")
    Path dir = Path.of("data", "generated", "certs");

    @Option(names = "--host", paramLabel = "HOST", description = "the broker's host name or address, besides localhost"
            + " and 127.0.0.1 (default: localhost)")
    String host = "localhost";

    @Option(names = "--client", paramLabel = "NAME", description = "a client to certify, its name the certificate's CN;"
            + " repeatable (default: alice)")
    List<String> clients = new ArrayList<>(List.of("alice"));

    @Option(names = "--password", paramLabel = "PASSWORD", description = "every store's and key's password"
            + " (default: toykafka)")
    String password = "toykafka";

    @Override
    public Integer call() {
        Path folder = dir.isAbsolute() ? dir : DumpCommand.typed(dir);
        ThrowawayCa.Material made = ThrowawayCa.make(folder, host, clients, password);
        var out = Main.out();
        out.println("A throwaway CA and its certificates, in " + made.folder() + " (password '" + made.password()
                + "'):");
        out.println("  ca.pem                  the CA's certificate: what clients trust (ssl.truststore.type=PEM, or"
                + " librdkafka's ssl.ca.location)");
        out.println("  truststore.p12          the same, as a PKCS12 trust store (ssl.truststore.location)");
        out.println("  broker.keystore.p12     the broker's key and certificate chain (ssl.keystore.location); as PEM:"
                + " broker.pem and broker.key");
        for (String client : made.clientKeyStores().keySet()) {
            out.println("  " + pad(client + ".keystore.p12") + client + "'s key and certificate, CN=" + client
                    + " (PEM: " + client + ".pem, " + client + ".key)");
            out.println("  " + pad(client + ".properties") + "settings for kafka-clients and --command-config:"
                    + " TLS with " + client + "'s certificate");
        }
        out.println("  ca.p12                  the CA's own key: keep it to yourself, and throw it all away after");
        return 0;
    }

    private static String pad(String name) {
        return String.format("%-24s", name);
    }
}
