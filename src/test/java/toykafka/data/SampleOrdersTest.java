package toykafka.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

class SampleOrdersTest {

    @Test
    void the_committed_file_is_what_the_seed_makes() throws IOException {
        assertEquals(SampleOrders.toCsv(SampleOrders.generate(60)), Files.readString(SampleOrders.FILE),
                "data/orders.csv differs from the generator: run java toykafka.data.SampleOrders to remake it");
    }

    @Test
    void the_file_loads_back_into_the_same_orders() {
        assertEquals(SampleOrders.generate(60), SampleOrders.load());
    }

    @Test
    void an_order_is_json_as_the_tills_send_it() {
        Order order = new Order(271, 2, List.of(List.of("cod", "chips"), List.of("chips", "chips")));
        assertEquals("{\"order\":271,\"till\":2,\"parts\":[[\"cod\",\"chips\"],[\"chips\",\"chips\"]]}", order.toJson());
    }
}
