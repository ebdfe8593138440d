package toykafka.broker.security;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;

/**
 * A TLS listener's engines, made from Kafka's {@code ssl.*} settings as Kafka's {@code DefaultSslEngineFactory} reads
 * them: a key store (JKS, the default, PKCS12, or PEM: a file, or the key and chain given inline), a trust store (the
 * same types) for client certificates, {@code ssl.client.auth} ({@code none}, {@code requested}, {@code required}),
 * {@code ssl.protocol} and {@code ssl.enabled.protocols}, {@code ssl.cipher.suites}. Each setting wrong is refused
 * when the listener starts, with the setting's name and what is wrong; nothing here ever prints a password or a key.
 */
public final class SslEngineFactory {

    public enum ClientAuth { NONE, REQUESTED, REQUIRED }

    private static final String PEM = "PEM";
    private static final Pattern PEM_ENTRY = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)-----END \\1-----");

    private final SSLContext context;
    private final ClientAuth clientAuth;
    private final String[] protocols;
    private final String[] cipherSuites;

    private SslEngineFactory(SSLContext context, ClientAuth clientAuth, String[] protocols, String[] cipherSuites) {
        this.context = context;
        this.clientAuth = clientAuth;
        this.protocols = protocols;
        this.cipherSuites = cipherSuites;
    }

    /** The factory of a listener's settings, named as Kafka names them ({@code ssl.keystore.location} …). */
    public static SslEngineFactory configure(Map<String, String> settings) {
        ClientAuth clientAuth = clientAuth(settings.getOrDefault("ssl.client.auth", "none"));
        String protocol = settings.getOrDefault("ssl.protocol", "TLSv1.3");
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(settings.getOrDefault("ssl.keymanager.algorithm",
                    KeyManagerFactory.getDefaultAlgorithm()));
            KeyStore keyStore = keyStore(settings);
            String keyPassword = settings.getOrDefault("ssl.key.password", settings.get("ssl.keystore.password"));
            keys.init(keyStore, keyPassword == null ? new char[0] : keyPassword.toCharArray());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(settings.getOrDefault(
                    "ssl.trustmanager.algorithm", TrustManagerFactory.getDefaultAlgorithm()));
            trust.init(trustStore(settings));
            SSLContext context = SSLContext.getInstance(protocol);
            context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
            return new SslEngineFactory(context, clientAuth,
                    list(settings.getOrDefault("ssl.enabled.protocols", "TLSv1.2,TLSv1.3")),
                    list(settings.get("ssl.cipher.suites")));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the TLS settings cannot make a server context (ssl.protocol="
                    + protocol + "): " + e.getMessage(), e);
        }
    }

    /** An engine for one client's connection, on the server's side of the handshake. */
    public SSLEngine createServerEngine(String peerHost, int peerPort) {
        SSLEngine engine = context.createSSLEngine(peerHost, peerPort);
        engine.setUseClientMode(false);
        if (protocols != null) {
            engine.setEnabledProtocols(protocols);
        }
        if (cipherSuites != null) {
            engine.setEnabledCipherSuites(cipherSuites);
        }
        switch (clientAuth) {
            case REQUIRED -> engine.setNeedClientAuth(true);
            case REQUESTED -> engine.setWantClientAuth(true);
            case NONE -> engine.setNeedClientAuth(false);
        }
        return engine;
    }

    public ClientAuth clientAuth() {
        return clientAuth;
    }

    private static ClientAuth clientAuth(String value) {
        try {
            return ClientAuth.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ssl.client.auth must be none, requested or required; was '" + value
                    + "'");
        }
    }

    private static String[] list(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toArray(String[]::new);
    }

    private static KeyStore keyStore(Map<String, String> settings) throws GeneralSecurityException {
        String type = settings.getOrDefault("ssl.keystore.type", "JKS");
        String location = settings.get("ssl.keystore.location");
        String password = settings.get("ssl.keystore.password");
        String inlineKey = settings.get("ssl.keystore.key");
        if (PEM.equals(type)) {
            if (password != null) {
                throw new IllegalArgumentException("ssl.keystore.password cannot be given for a PEM key store: only"
                        + " ssl.key.password, for an encrypted key");
            }
            String pem = inlineKey != null ? inlineKey + "\n" + settings.getOrDefault("ssl.keystore.certificate.chain", "")
                    : read("ssl.keystore.location", location);
            return pemKeyStore(pem, settings.get("ssl.key.password"));
        }
        if (inlineKey != null) {
            throw new IllegalArgumentException("ssl.keystore.key can be given only with ssl.keystore.type=PEM, but the"
                    + " key store's type is " + type);
        }
        if (location == null) {
            throw new IllegalArgumentException("a TLS listener needs a key store: set ssl.keystore.location (and"
                    + " ssl.keystore.password), or ssl.keystore.type=PEM with ssl.keystore.key");
        }
        return loaded("ssl.keystore", type, location, password);
    }

    /** The trust store, or null for none: then only a certificate the JDK's own CAs signed is trusted. */
    private static KeyStore trustStore(Map<String, String> settings) throws GeneralSecurityException {
        String type = settings.getOrDefault("ssl.truststore.type", "JKS");
        String location = settings.get("ssl.truststore.location");
        String password = settings.get("ssl.truststore.password");
        String inline = settings.get("ssl.truststore.certificates");
        if (PEM.equals(type)) {
            if (password != null) {
                throw new IllegalArgumentException("ssl.truststore.password cannot be given for a PEM trust store");
            }
            if (inline == null && location == null) {
                return null;
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            load(store, null);
            List<Certificate> certificates = certificates(inline != null ? inline : read("ssl.truststore.location",
                    location), "ssl.truststore");
            for (int i = 0; i < certificates.size(); i++) {
                store.setCertificateEntry("ca-" + i, certificates.get(i));
            }
            return store;
        }
        if (inline != null) {
            throw new IllegalArgumentException("ssl.truststore.certificates can be given only with"
                    + " ssl.truststore.type=PEM, but the trust store's type is " + type);
        }
        return location == null ? null : loaded("ssl.truststore", type, location, password);
    }

    private static KeyStore loaded(String prefix, String type, String location, String password)
            throws GeneralSecurityException {
        KeyStore store;
        try {
            store = KeyStore.getInstance(type);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(prefix + ".type must be JKS, PKCS12 or PEM; was '" + type + "'");
        }
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            store.load(in, password == null ? null : password.toCharArray());
            return store;
        } catch (IOException e) {
            throw new IllegalArgumentException(prefix + ".location: cannot load " + location + " as " + type + " ("
                    + (e.getCause() instanceof java.security.UnrecoverableKeyException
                    ? "wrong " + prefix + ".password" : e.getMessage()) + ")");
        }
    }

    private static void load(KeyStore store, InputStream in) throws GeneralSecurityException {
        try {
            store.load(in, null);
        } catch (IOException e) {
            throw new IllegalStateException("an empty key store cannot be made: " + e.getMessage(), e);
        }
    }

    private static String read(String setting, String location) {
        if (location == null) {
            throw new IllegalArgumentException(setting + " must name a PEM file");
        }
        try {
            return Files.readString(Path.of(location), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException(setting + ": cannot read " + location + " (" + e.getMessage() + ")");
        }
    }

    /** A key store of one PEM key, unencrypted or encrypted with {@code keyPassword}, and the certificates after it. */
    private static KeyStore pemKeyStore(String pem, String keyPassword) throws GeneralSecurityException {
        PrivateKey key = null;
        Matcher entry = PEM_ENTRY.matcher(pem);
        while (entry.find() && key == null) {
            byte[] der = Base64.getMimeDecoder().decode(entry.group(2));
            if (entry.group(1).equals("PRIVATE KEY")) {
                key = privateKey(new PKCS8EncodedKeySpec(der));
            } else if (entry.group(1).equals("ENCRYPTED PRIVATE KEY")) {
                if (keyPassword == null) {
                    throw new IllegalArgumentException("the PEM key is encrypted: set ssl.key.password");
                }
                EncryptedPrivateKeyInfo encrypted = encryptedKey(der);
                Cipher cipher = Cipher.getInstance(encrypted.getAlgName());
                cipher.init(Cipher.DECRYPT_MODE, SecretKeyFactory.getInstance(encrypted.getAlgName())
                        .generateSecret(new PBEKeySpec(keyPassword.toCharArray())), encrypted.getAlgParameters());
                key = privateKey(encrypted.getKeySpec(cipher));
            }
        }
        if (key == null) {
            throw new IllegalArgumentException("the PEM key store holds no PRIVATE KEY or ENCRYPTED PRIVATE KEY entry");
        }
        List<Certificate> chain = certificates(pem, "ssl.keystore");
        KeyStore store = KeyStore.getInstance("PKCS12");
        load(store, null);
        char[] password = keyPassword == null ? new char[0] : keyPassword.toCharArray();
        store.setKeyEntry("kafka", key, password, chain.toArray(Certificate[]::new));
        return store;
    }

    private static EncryptedPrivateKeyInfo encryptedKey(byte[] der) {
        try {
            return new EncryptedPrivateKeyInfo(der);
        } catch (IOException e) {
            throw new IllegalArgumentException("the PEM's ENCRYPTED PRIVATE KEY is not PKCS#8: " + e.getMessage());
        }
    }

    private static PrivateKey privateKey(PKCS8EncodedKeySpec spec) throws GeneralSecurityException {
        for (String algorithm : List.of("RSA", "EC", "DSA")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (java.security.spec.InvalidKeySpecException notThisOne) {
                // try the next algorithm, as Kafka does
            }
        }
        throw new IllegalArgumentException("the PEM private key is not an RSA, EC or DSA key in PKCS#8");
    }

    private static List<Certificate> certificates(String pem, String prefix) throws GeneralSecurityException {
        List<Certificate> certificates = new ArrayList<>();
        Matcher entry = PEM_ENTRY.matcher(pem);
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        while (entry.find()) {
            if (entry.group(1).equals("CERTIFICATE")) {
                certificates.add(x509.generateCertificate(new java.io.ByteArrayInputStream(
                        Base64.getMimeDecoder().decode(entry.group(2)))));
            }
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException(prefix + ": the PEM holds no CERTIFICATE entry");
        }
        return certificates;
    }
}
