package toykafka.http;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Collections;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntSupplier;
import toykafka.broker.config.BrokerConfig;

/**
 * What keeps a web page the learner opens from using the broker on their machine. A browser sends
 * requests for any page to any address, the broker's loopback one included; three checks stop them:
 *
 * <ul>
 * <li>the {@code Host} header must name this broker, one of its own names with the port it listens on: a page
 *     that reaches the broker through a name of its own (DNS rebinding) is refused, 421;</li>
 * <li>an {@code Origin} header, which browsers add to requests a page makes, must be the broker's own
 *     ({@code http://<host>:<port>}) or one that {@code http.allowed.origins} names: any other is refused,
 *     403, and so is a write that {@code Sec-Fetch-Site} says comes from another site;</li>
 * <li>a route that takes JSON refuses the body types a page may send without asking first (CORS's "simple
 *     requests": {@code text/plain}, {@code application/x-www-form-urlencoded}, {@code multipart/form-data}),
 *     415, as the REST Proxy does.</li>
 * </ul>
 * curl and the course's clients send no Origin and name the broker as they reach it, so they pass. The
 * REST Proxy's nearest setting is {@code access.control.allow.origin}, which answers CORS for the origins it
 * names; here the origins named are let in, and their pages may read the replies.
 */
final class CrossSiteGuard {

    /** What a route's body may be, by its Content-Type. */
    enum Body {
        /** JSON only: a browser's simple body types are refused. */
        JSON,
        /** JSON, also sent as curl's {@code -d} labels it, form-urlencoded (Katar's routes, as curl calls them). */
        JSON_OR_CURL_FORM,
        /** Any bytes (Kaf's messages): the Origin check is what protects these. */
        BYTES
    }

    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]");
    private static final Set<String> WILDCARDS = Set.of("0.0.0.0", "[::]", "[0:0:0:0:0:0:0:0]");

    /** The broker's own host names, lower case, IPv6 addresses in brackets. */
    private final Set<String> names;
    private final Set<String> allowedOrigins;
    private final IntSupplier port;

    CrossSiteGuard(BrokerConfig config, IntSupplier port) {
        this.names = ownNames(config);
        this.allowedOrigins = Collections.unmodifiableSet(allowedOrigins(config));
        this.port = port;
    }

    /**
     * Refuses a request a browser sent for a page other than the broker's own: a foreign Host, a foreign
     * Origin, or a write from another site.
     */
    void checkSender(String method, String host, String origin, String fetchSite) {
        if (host != null && !isOwn(host)) {
            // the Host sent is not repeated: the reply names only what the broker answers to
            throw new HttpError(421, "this broker answers to " + ownAddress() + " (or its other names: "
                    + String.join(", ", names) + ", with port " + port.getAsInt() + "); the request's Host header"
                    + " names another server, as a web page reaching the broker by a name of its own (DNS"
                    + " rebinding) would");
        }
        if (origin != null) {
            if (!isOwnOrigin(origin) && !allowedOrigins.contains(normalised(origin))) {
                throw new HttpError(403, "the request comes from a web page at " + printable(origin) + " (its Origin"
                        + " header), not from the broker's own " + ownAddress() + ": a page in a browser may use the"
                        + " broker only if " + BrokerConfig.HTTP_ALLOWED_ORIGINS + " names its origin"
                        + (allowedOrigins.isEmpty() ? " (it names none)" : " (it names " + String.join(", ", allowedOrigins) + ")"));
            }
        } else if (!isSafe(method) && fetchSite != null && (fetchSite.equalsIgnoreCase("cross-site")
                || fetchSite.equalsIgnoreCase("same-site"))) {
            throw new HttpError(403, "the request comes from a web page on another site (Sec-Fetch-Site: "
                    + printable(fetchSite) + "): a page in a browser may write to the broker only from an origin that "
                    + BrokerConfig.HTTP_ALLOWED_ORIGINS + " names, and its browser sends that Origin");
        }
    }

    /** Whether the origin is one {@code http.allowed.origins} names: its pages may read the replies (CORS). */
    boolean allows(String origin) {
        return origin != null && allowedOrigins.contains(normalised(origin));
    }

    /** Refuses a body of a type a browser sends without a CORS preflight, on a route that takes JSON. */
    static void checkBody(Body body, String contentType, String method, String path) {
        if (contentType == null || body == Body.BYTES) {
            return;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        boolean simple = type.equals("text/plain") || type.equals("multipart/form-data")
                || type.equals("application/x-www-form-urlencoded");
        if (simple && !(body == Body.JSON_OR_CURL_FORM && type.equals("application/x-www-form-urlencoded"))) {
            throw new HttpError(415, method + " " + path + " takes a JSON body, sent as Content-Type: application/json;"
                    + " " + printable(type) + " is refused, because a web page may send that type to any server"
                    + " without asking (with curl, add -H 'Content-Type: application/json')");
        }
    }

    private static boolean isSafe(String method) {
        return method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
    }

    /** http://host:port as the broker's links start. */
    private String ownAddress() {
        return "http://" + names.iterator().next() + ":" + port.getAsInt();
    }

    /** Whether a Host header ({@code name}, {@code name:port}, {@code [v6]:port}) names this broker. */
    private boolean isOwn(String host) {
        String text = host.trim().toLowerCase(Locale.ROOT);
        String name = text;
        int portNumber = 80;
        int colon = text.lastIndexOf(':');
        if (colon > text.lastIndexOf(']')) {
            name = text.substring(0, colon);
            try {
                portNumber = Integer.parseInt(text.substring(colon + 1));
            } catch (NumberFormatException notPort) {
                return false;
            }
        }
        return portNumber == port.getAsInt() && names.contains(name);
    }

    private boolean isOwnOrigin(String origin) {
        try {
            URI uri = new URI(origin.trim());
            if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                return false;
            }
            String host = uri.getHost().toLowerCase(Locale.ROOT);
            int portNumber = uri.getPort() < 0 ? 80 : uri.getPort();
            return portNumber == port.getAsInt() && names.contains(host) && (uri.getPath() == null || uri.getPath().isEmpty());
        } catch (URISyntaxException notUri) {
            return false; // "null" (a file or sandboxed page) and anything else that is no origin
        }
    }

    /** The configured host first, then its loopback twins, and every address of the machine when it listens on all. */
    private static Set<String> ownNames(BrokerConfig config) {
        Set<String> names = new java.util.LinkedHashSet<>();
        String host = bracketed(config.host());
        names.add(host);
        names.add(bracketed(config.advertisedHost()));
        boolean wildcard = WILDCARDS.contains(host);
        if (wildcard || LOOPBACK_NAMES.contains(host) || host.startsWith("127.")) {
            names.addAll(new TreeSet<>(LOOPBACK_NAMES));
        }
        if (wildcard) {
            try {
                names.add(InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT));
                for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                    Collections.list(network.getInetAddresses()).forEach(address ->
                            names.add(bracketed(address.getHostAddress().replaceAll("%.*", ""))));
                }
            } catch (UnknownHostException | SocketException e) {
                // the names above still work; a name the machine cannot tell is one a client cannot use either
            }
        }
        return Collections.unmodifiableSet(names);
    }

    /** A host name in lower case, an IPv6 address in brackets, as Host and Origin headers write them. */
    private static String bracketed(String host) {
        String name = host.trim().toLowerCase(Locale.ROOT);
        return name.contains(":") && !name.startsWith("[") ? "[" + name + "]" : name;
    }

    private static Set<String> allowedOrigins(BrokerConfig config) {
        Set<String> origins = new TreeSet<>();
        Arrays.stream(config.httpAllowedOrigins().split(",")).map(String::trim).filter(text -> !text.isEmpty())
                .map(CrossSiteGuard::normalised).forEach(origins::add);
        return origins;
    }

    private static String normalised(String origin) {
        String text = origin.trim().toLowerCase(Locale.ROOT);
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    /** A header's value as a message may show it: printable ASCII, at most 100 characters. */
    private static String printable(String text) {
        String shown = text.length() > 100 ? text.substring(0, 100) + "..." : text;
        return shown.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
