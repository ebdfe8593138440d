package toykafka.harness;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * REST Proxy v2's batched produce over keep-alive HTTP/1.1: {@code POST /topics/<t>/partitions/<p>} with
 * {@code {"records": [{"value": "<base64>"}, ...]}} as {@code application/vnd.kafka.binary.v2+json}, so the broker
 * stores the very values Kafka's Produce request carries ('x' repeated). The answer names each record's offset or
 * its error. One partition a request, as the route names one. The topics are made first, so any refusal fails the
 * load, even before the clock.
 */
final class HttpProduceWire implements ProduceWire {

    @Override
    public ByteBuffer[] requests(ManyConnectionsLoad.Shape shape, int port) {
        if (shape.partitionsPerRequest() != 1) {
            throw new IllegalArgumentException("over HTTP a request writes one partition, not " + shape.partitionsPerRequest());
        }
        String value = Base64.getEncoder().encodeToString("x".repeat(shape.valueBytes()).getBytes(StandardCharsets.US_ASCII));
        StringBuilder records = new StringBuilder("{\"records\":[");
        for (int r = 0; r < shape.recordsPerBatch(); r++) {
            records.append(r == 0 ? "" : ",").append("{\"value\":\"").append(value).append("\"}");
        }
        byte[] body = records.append("]}").toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer[] requests = new ByteBuffer[shape.topics().size() * shape.partitionsPerTopic()];
        for (int p = 0; p < requests.length; p++) {
            byte[] head = ("POST /topics/" + shape.topic(p) + "/partitions/" + p % shape.partitionsPerTopic() + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:" + port + "\r\n"
                    + "Content-Type: application/vnd.kafka.binary.v2+json\r\n"
                    + "Accept: application/vnd.kafka.v2+json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            requests[p] = ByteBuffer.allocateDirect(head.length + body.length).put(head).put(body).flip();
        }
        return requests;
    }

    @Override
    public AnswerReader reader(ManyConnectionsLoad.Shape shape) {
        return new Reader();
    }

    /** REST Proxy's answer: a 200 whose offsets name no error for any record. */
    private static final class Reader implements AnswerReader {
        private static final byte[] ERROR_CODE = "\"error_code\":".getBytes(StandardCharsets.US_ASCII);
        private final HttpResponseReader responses = new HttpResponseReader();

        @Override
        public Answer read(SocketChannel channel, boolean mayRetry) throws IOException {
            HttpResponseReader.Response response = responses.read(channel);
            if (response == null) {
                return null;
            }
            if (response.status() != 200) {
                throw new IllegalStateException("a produce was refused: " + response.statusLine() + " " + response.bodyText());
            }
            return new Answer(taken(response.body(), response.from(), response.to()), false);
        }

        /**
         * Records whose {@code error_code} is null, read where they lie (the client's time is the broker's loss on
         * two cores); a record refused fails the load, as the topic was made first.
         */
        private static long taken(byte[] body, int from, int to) {
            long taken = 0;
            for (int at = HttpResponseReader.indexOf(body, from, to, ERROR_CODE, ERROR_CODE.length); at >= 0;
                 at = HttpResponseReader.indexOf(body, at + 1, to, ERROR_CODE, ERROR_CODE.length)) {
                int value = at + ERROR_CODE.length;
                while (body[value] == ' ') {
                    value++;
                }
                if (body[value] != 'n') {
                    throw new IllegalStateException("a record was refused: " + new String(body, at,
                            Math.min(to - at, 300), StandardCharsets.UTF_8));
                }
                taken++;
            }
            return taken;
        }
    }
}
