package toykafka.data;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A fish-and-chips order as a till sends it: an order number, the till, and its parts, each part a
 * list of items (a portion of cod and chips is ["cod", "chips"]).
 */
public record Order(int order, int till, List<List<String>> parts) {

    public Order {
        parts = parts.stream().map(List::copyOf).toList();
    }

    /** The order as JSON text, the form the tills put on the log. */
    public String toJson() {
        String partsJson = parts.stream()
                .map(part -> part.stream().map(item -> "\"" + item + "\"").collect(Collectors.joining(",", "[", "]")))
                .collect(Collectors.joining(",", "[", "]"));
        return "{\"order\":" + order + ",\"till\":" + till + ",\"parts\":" + partsJson + "}";
    }
}
