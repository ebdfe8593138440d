package toykafka.lesson13;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import toykafka.check.MessageFacts;
import toykafka.common.InvalidRequestException;
import toykafka.lesson13.RequestHeaderReader.Header;

/**
 * What every request-header reader promises; lesson 13's exercise is checked against it too, in this
 * order: the plainest header first, the refusals last, so the first promise that fails is the one to
 * work on next.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class RequestHeaderReaderContract {

    protected abstract RequestHeaderReader newReader();

    /** The ApiVersions v4 request kafka-clients 3.9.1 sent with client.id=till-1, without its size. */
    static final byte[] KAFKA_CLIENTS_API_VERSIONS = HexFormat.ofDelimiter(" ").parseHex(
            "00 12 00 04 00 00 00 00 00 06 74 69 6c 6c 2d 31 00 12 61 70 61 63 68 65 2d 6b 61 66 6b 61 2d 6a 61 76 61"
                    + " 06 33 2e 39 2e 31 00");

    @Test
    @Order(2)
    protected void reads_a_version_2_header_as_kafka_clients_sends_it_and_stops_at_the_body() {
        ByteBuffer request = ByteBuffer.wrap(KAFKA_CLIENTS_API_VERSIONS);
        Header header = newReader().read(request, 2);
        assertEquals(new Header((short) 18, (short) 4, 0, "till-1"), header);
        assertEquals(17, request.position(), "the header is 16 bytes and an empty tagged-field section (1 byte):"
                + " the body, ApiVersions' client software name, starts at byte 17");
    }

    @Test
    @Order(1)
    protected void reads_a_version_1_header_which_has_no_tagged_fields() {
        ByteBuffer request = ByteBuffer.wrap(WafkaFrames.kafkaProduce());
        Header header = newReader().read(request, 1);
        assertEquals(new Header((short) 0, (short) 3, 3, "wafka-producer"), header);
        assertEquals(24, request.position(), "the body (Produce's transactional id) starts right after the client id");
    }

    @Test
    @Order(3)

    @DisplayName("a client id of length -1 is null in both versions")
    protected void a_client_id_of_length_minus_1_is_null_in_both_versions() {
        for (int version = 1; version <= 2; version++) {
            ByteBuffer request = header(3, 12, 77, -1, new byte[0], version == 2 ? new byte[] {0} : new byte[0]);
            Header header = newReader().read(request, version);
            assertNull(header.clientId(), "header v" + version);
            assertEquals(77, header.correlationId());
            assertEquals(0, request.remaining(), "header v" + version + " read to its end");
        }
    }

    @Test
    @Order(4)

    @DisplayName("the client id keeps an INT16 length even in version 2, and is UTF-8")
    protected void the_client_id_keeps_an_int16_length_even_in_version_2_and_is_utf_8() {
        byte[] name = ("caf\u00e9-" + "x".repeat(200)).getBytes(StandardCharsets.UTF_8); // longer than 127 bytes
        ByteBuffer request = header(1, 12, 5, name.length, name, new byte[] {0});
        assertEquals("caf\u00e9-" + "x".repeat(200), newReader().read(request, 2).clientId());
        assertEquals(0, request.remaining());
    }

    @Test
    @Order(5)
    protected void tagged_fields_in_a_version_2_header_are_stepped_over() {
        // two tagged fields: tag 0 with 3 bytes, tag 5 with 1 byte; then a body byte 0x7f
        byte[] tagged = {2, 0, 3, 1, 2, 3, 5, 1, 9, 0x7f};
        ByteBuffer request = header(3, 12, 8, 4, "kcat".getBytes(StandardCharsets.UTF_8), tagged);
        Header header = newReader().read(request, 2);
        assertEquals(new Header((short) 3, (short) 12, 8, "kcat"), header);
        assertEquals(1, request.remaining(), "only the body is left");
        assertEquals(0x7f, request.get());
    }

    @Test
    @Order(7)
    protected void a_request_that_ends_inside_a_field_is_refused_naming_that_field() {
        byte[] full = header(3, 12, 8, 4, "kcat".getBytes(StandardCharsets.UTF_8), new byte[] {1, 0, 4, 1}).array();
        assertRefusedNaming(full, 3, 2, "api version");
        assertRefusedNaming(full, 6, 2, "correlation id");
        assertRefusedNaming(full, 9, 2, "client id");
        assertRefusedNaming(full, 12, 2, "client id");
        assertRefusedNaming(full, 14, 2, "tagged");
        assertRefusedNaming(full, 17, 2, "tagged");
    }

    @Test
    @Order(6)
    protected void a_header_version_other_than_1_or_2_is_refused_with_the_version() {
        for (int version : new int[] {0, 3}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> newReader().read(ByteBuffer.wrap(KAFKA_CLIENTS_API_VERSIONS), version));
            MessageFacts.assertMentions(refused, version);
        }
    }

    private void assertRefusedNaming(byte[] full, int length, int version, String field) {
        ByteBuffer cut = ByteBuffer.wrap(Arrays.copyOf(full, length));
        InvalidRequestException refused = assertThrows(InvalidRequestException.class,
                () -> newReader().read(cut, version), "a header cut to " + length + " bytes");
        String said = String.valueOf(refused.getMessage()).toLowerCase(Locale.ROOT).replaceAll("[\\s_-]", "");
        assertTrue(said.contains(field.replace(" ", "")), "a header cut to " + length + " bytes ends inside the "
                + field + ": the refusal should name it (" + spellings(field) + "), was: " + refused.getMessage());
    }

    /** The ways a field's name may be written: "api_version, api version or apiVersion all do". */
    private static String spellings(String field) {
        String[] words = field.split(" ");
        StringBuilder camel = new StringBuilder(words[0]);
        for (int i = 1; i < words.length; i++) {
            camel.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
        }
        if (words.length == 1) {
            return "'" + field + "' in any case does";
        }
        return String.join("_", words) + ", " + field + " or " + camel + " all do";
    }

    /** A request header: key, version, correlation id, an int16 client id length and its bytes, then {@code rest}. */
    static ByteBuffer header(int apiKey, int apiVersion, int correlationId, int clientIdLength, byte[] clientId,
                             byte[] rest) {
        return ByteBuffer.allocate(10 + clientId.length + rest.length).putShort((short) apiKey)
                .putShort((short) apiVersion).putInt(correlationId).putShort((short) clientIdLength).put(clientId)
                .put(rest).flip();
    }
}
