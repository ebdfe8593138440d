package toykafka.tools;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A certificate authority for trying TLS on one machine: a CA, a broker certificate it signs (valid for
 * {@code localhost}, {@code 127.0.0.1} and a host of your choice), and one certificate per client for mutual TLS,
 * written as Kafka's settings read them. Each key store is PKCS12 ({@code ssl.keystore.type=PKCS12}, the JDK's
 * default); each certificate and key is also written as PEM, for librdkafka and for Kafka's {@code PEM} store type.
 * Beside them, a ready client configuration per client for {@code --command-config} and kafka-clients.
 *
 * <p>The keys are made by the JDK's {@code keytool}, the tool Kafka's security documentation uses, so nothing is
 * added to the course's libraries; EC P-256 keys, which every client of the course speaks and which keytool makes
 * in milliseconds. The CA is throwaway: its key sits unencrypted beside the certificates it signed. Never use it
 * beyond one machine.
 */
public final class ThrowawayCa {

    /** Names keytool accepts as an alias and this class as a file name: a client's name becomes its CN. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final String KEY_ALGORITHM = "EC";
    private static final String CURVE = "secp256r1";
    private static final String VALIDITY_DAYS = "90";
    private static final long KEYTOOL_SECONDS = 60;

    /**
     * What was written: the folder, the one password of every store and key, and each file by its role.
     *
     * @param clientKeyStores each client's PKCS12 key store, by client name
     */
    public record Material(Path folder, String password, Path caCertificate, Path trustStore, Path brokerKeyStore,
                           Path brokerCertificate, Path brokerKey, Map<String, Path> clientKeyStores) {

        /** A client's settings for kafka-clients and Kafka's tools: TLS to the broker, with its certificate. */
        public Path clientProperties(String client) {
            return folder.resolve(client + ".properties");
        }
    }

    private final Path folder;
    private final String password;
    private final Path keytool;

    private ThrowawayCa(Path folder, String password) {
        this.folder = folder;
        this.password = password;
        this.keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    }

    /**
     * Makes a CA in {@code folder} (created if missing, refused if it already holds one, so no certificate a
     * running broker trusts is replaced by surprise), a broker certificate for {@code brokerHost} as well as
     * localhost, and one client certificate per name in {@code clients}.
     */
    public static Material make(Path folder, String brokerHost, List<String> clients, String password) {
        if (password == null || password.length() < 6) {
            throw new IllegalArgumentException("the stores' password must have at least 6 characters (keytool's"
                    + " minimum)");
        }
        List<String> names = new ArrayList<>(clients);
        names.add("broker");
        for (String name : names) {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("a client's name must be 1 to 64 letters, digits, '.', '_' or"
                        + " '-', starting with a letter or digit; was '" + name + "'");
            }
        }
        if (clients.contains("broker") || clients.contains("ca") || names.size() != names.stream().distinct().count()) {
            throw new IllegalArgumentException("the clients' names must differ from each other and from 'broker'"
                    + " and 'ca'; were " + clients);
        }
        if (Files.exists(folder.resolve("ca.p12"))) {
            throw new IllegalArgumentException(folder + " already holds a CA (ca.p12): choose an empty folder, or"
                    + " remove it first");
        }
        try {
            Files.createDirectories(folder);
            return new ThrowawayCa(folder, password).makeAll(brokerHost, clients);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the certificates in " + folder + ": " + e.getMessage(), e);
        }
    }

    private Material makeAll(String brokerHost, List<String> clients) throws IOException {
        keytool("-genkeypair", "-alias", "ca", "-dname", "CN=toykafka throwaway CA", "-ext", "bc:c",
                "-keystore", "ca.p12");
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-file", "ca.pem");
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", "truststore.p12");
        String names = "dns:localhost,ip:127.0.0.1" + (brokerHost.equals("localhost") || brokerHost.equals("127.0.0.1")
                ? "" : (brokerHost.matches("[0-9.]+|.*:.*") ? ",ip:" : ",dns:") + brokerHost);
        signed("broker", "CN=" + brokerHost, "SAN=" + names, "EKU=serverAuth,clientAuth");
        Map<String, Path> clientStores = new LinkedHashMap<>();
        for (String client : clients) {
            signed(client, "CN=" + client, null, "EKU=clientAuth");
            clientStores.put(client, folder.resolve(client + ".keystore.p12"));
            Files.writeString(folder.resolve(client + ".properties"), clientProperties(client));
        }
        return new Material(folder, password, folder.resolve("ca.pem"), folder.resolve("truststore.p12"),
                folder.resolve("broker.keystore.p12"), folder.resolve("broker.pem"), folder.resolve("broker.key"),
                clientStores);
    }

    /**
     * A key pair whose certificate the CA signs, in {@code name.keystore.p12} with the chain up to the CA, and as
     * PEM: {@code name.pem} (its certificate, then the CA's) and {@code name.key} (its key, PKCS#8, unencrypted).
     */
    private void signed(String name, String subject, String alternativeNames, String extendedKeyUsage)
            throws IOException {
        String store = name + ".keystore.p12";
        keytool("-genkeypair", "-alias", name, "-dname", subject, "-keystore", store);
        keytool("-certreq", "-alias", name, "-keystore", store, "-file", name + ".csr");
        List<String> sign = new ArrayList<>(List.of("-gencert", "-rfc", "-alias", "ca", "-keystore", "ca.p12",
                "-infile", name + ".csr", "-outfile", name + ".crt", "-ext", "KU=digitalSignature",
                "-ext", extendedKeyUsage));
        if (alternativeNames != null) {
            sign.addAll(List.of("-ext", alternativeNames));
        }
        keytool(sign.toArray(String[]::new));
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", store);
        keytool("-importcert", "-alias", name, "-file", name + ".crt", "-keystore", store);
        Files.delete(folder.resolve(name + ".csr"));
        Files.delete(folder.resolve(name + ".crt"));
        writePem(store, name);
    }

    private void writePem(String store, String alias) throws IOException {
        try (InputStream in = Files.newInputStream(folder.resolve(store))) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(in, password.toCharArray());
            Key key = keys.getKey(alias, password.toCharArray());
            StringBuilder chain = new StringBuilder();
            for (Certificate certificate : keys.getCertificateChain(alias)) {
                chain.append(pem("CERTIFICATE", certificate.getEncoded()));
            }
            Files.writeString(folder.resolve(alias + ".pem"), chain);
            Files.writeString(folder.resolve(alias + ".key"), pem("PRIVATE KEY", key.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("keytool wrote a key store this JDK cannot read: " + e.getMessage(), e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private String clientProperties(String client) {
        return "# " + client + " over TLS, with its own certificate (mutual TLS)\n"
                + "security.protocol=SSL\n"
                + "ssl.truststore.location=" + folder.toAbsolutePath().resolve("truststore.p12") + "\n"
                + "ssl.truststore.password=" + password + "\n"
                + "ssl.keystore.location=" + folder.toAbsolutePath().resolve(client + ".keystore.p12") + "\n"
                + "ssl.keystore.password=" + password + "\n"
                + "ssl.key.password=" + password + "\n";
    }

    /** Runs keytool in the folder with the common options, and fails with what it printed if it fails. */
    private void keytool(String... arguments) throws IOException {
        // A tool that runs for a fraction of a second: C1 alone and the serial collector start it about twice as fast.
        List<String> command = new ArrayList<>(List.of(keytool.toString(), "-J-XX:TieredStopAtLevel=1",
                "-J-XX:+UseSerialGC"));
        command.addAll(List.of(arguments));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", password));
        if (arguments[0].equals("-genkeypair")) {
            command.addAll(List.of("-keyalg", KEY_ALGORITHM, "-groupname", CURVE, "-validity", VALIDITY_DAYS,
                    "-keypass", password));
        }
        if (arguments[0].equals("-gencert")) {
            command.addAll(List.of("-validity", VALIDITY_DAYS));
        }
        Process process = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true).start();
        try (InputStream output = process.getInputStream()) {
            String printed = new String(output.readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(KEYTOOL_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("keytool " + arguments[0] + " did not finish in " + KEYTOOL_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new IOException("keytool " + arguments[0] + " failed: " + printed.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while keytool " + arguments[0] + " ran", e);
        }
    }
}
