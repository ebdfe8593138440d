package toykafka.http;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourceType;
import toykafka.common.Errors;
import toykafka.restproxy.ConsumerInstanceConfig;
import toykafka.restproxy.ConsumerInstances;

/**
 * REST Proxy v2's {@code GET /consumers/<group>/instances/<instance>/records} (Kafka's Fetch, from the
 * instance's positions): records in the format the instance was created with, which the Accept header must
 * take ({@code application/vnd.kafka.binary.v2+json}, or for binary also {@code application/vnd.kafka.v2+json}
 * and {@code application/json}; {@code application/vnd.kafka.json.v2+json} for json; any type when Accept names
 * none), else 406 with REST Proxy's 40601. {@code timeout} is how long it waits for records (else the
 * instance's consumer.request.timeout.ms, else the broker's default) and {@code max_bytes} bounds the keys'
 * and values' bytes (always at least one record). The broker's extension {@code max_records} bounds the count.
 * A {@code format} query, which the broker's partition reads take, may only name the instance's own format.
 */
final class ConsumerPoll {

    private final ConsumerInstances instances;

    ConsumerPoll(ConsumerInstances instances) {
        this.instances = instances;
    }

    CompletableFuture<Reply> poll(Exchange exchange) {
        String group = ConsumerRoutes.group(exchange);
        String instance = ConsumerRoutes.instance(exchange);
        ConsumerInstanceConfig config = instances.config(group, instance);
        // what it will fetch from: the topics it subscribed to (a pattern's matches too) and the partitions it holds
        Set<String> topics = new LinkedHashSet<>(instances.subscription(group, instance));
        instances.assignment(group, instance).forEach(partition -> topics.add(partition.topic()));
        ConsumerRoutes.requireRead(exchange, topics);
        MediaTypes.EmbeddedFormat format = MediaTypes.EmbeddedFormat.named(config.format(), "format");
        String type = negotiate(exchange, format, instance);
        int maxRecords = RecordRoutes.maxRecords(exchange);
        long maxBytes = exchange.queryNumber("max_bytes", -1, Long.MIN_VALUE, Long.MAX_VALUE);
        Duration wait = exchange.query("timeout") == null && config.requestTimeout() != null ? config.requestTimeout()
                : RecordRoutes.wait(exchange);
        return instances.pollAsync(group, instance, maxRecords, maxBytes <= 0 ? Long.MAX_VALUE : maxBytes, wait,
                        exchange.executor(), record -> EmbeddedRecords.of(record, format))
                .handle((records, failure) -> {
                    if (failure != null) {
                        throw ConsumerRoutes.unwrap(failure);
                    }
                    return Reply.json(200, Json.write(records)).withType(type);
                });
    }

    /** The reply's type: what the Accept header takes of the instance's format, or a 406 with 40601 naming it. */
    private static String negotiate(Exchange exchange, MediaTypes.EmbeddedFormat format, String instance) {
        String asked = exchange.query("format");
        if (asked != null && !asked.toLowerCase(Locale.ROOT).equals(format.configValue())) {
            throw mismatch(instance, format, "format=" + asked);
        }
        String[] offered = format == MediaTypes.EmbeddedFormat.BINARY
                ? new String[] {format.v2Type(), MediaTypes.V2, MediaTypes.JSON}
                : new String[] {format.v2Type()};
        try {
            return MediaTypes.negotiate(exchange.header("Accept"), HttpError.CONSUMER_FORMAT_MISMATCH, offered);
        } catch (HttpError refused) {
            if (refused.status() != 406 || refused.getMessage().contains("Schema Registry")) {
                throw refused; // a Schema Registry format is refused as such, naming what is missing
            }
            throw mismatch(instance, format, refused.getMessage());
        }
    }

    private static HttpError mismatch(String instance, MediaTypes.EmbeddedFormat format, String asked) {
        return new HttpError(406, HttpError.CONSUMER_FORMAT_MISMATCH, Errors.INVALID_REQUEST, "consumer instance '"
                + instance + "' was created with format " + format.configValue() + ", which its records keep for"
                + " its life; " + asked + " asks for another. Ask with Accept: " + format.v2Type()
                + ", or create an instance of the format you want");
    }
}
