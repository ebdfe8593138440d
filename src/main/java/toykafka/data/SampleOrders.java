package toykafka.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The orders the lessons use, in data/orders.csv. They are made by {@link #generate} from a fixed
 * seed, and a test checks the file still matches, so anyone can make them again.
 */
public final class SampleOrders {

    public static final Path FILE = Path.of("data", "orders.csv");
    static final String HEADER = "order,till,parts";

    private static final List<List<String>> MENU = List.of(
            List.of("cod", "chips"), List.of("haddock", "chips"), List.of("plaice", "chips"),
            List.of("chips"), List.of("chips", "chips"), List.of("mushy peas"), List.of("pie", "chips"),
            List.of("sausage", "chips"), List.of("curry sauce"), List.of("pickled egg"));

    private SampleOrders() {
    }

    /** {@code count} orders numbered from 271, from three tills, with one to three parts each. */
    public static List<Order> generate(int count) {
        Random random = new Random(271);
        List<Order> orders = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int partCount = 1 + random.nextInt(3);
            List<List<String>> parts = new ArrayList<>();
            for (int p = 0; p < partCount; p++) {
                parts.add(MENU.get(random.nextInt(MENU.size())));
            }
            orders.add(new Order(271 + i, 1 + random.nextInt(3), parts));
        }
        return orders;
    }

    /** The file's text: a header, then one line per order, parts separated by ';' and items by '+'. */
    public static String toCsv(List<Order> orders) {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        for (Order order : orders) {
            text.append(order.order()).append(',').append(order.till()).append(',');
            text.append(String.join(";", order.parts().stream().map(part -> String.join("+", part)).toList()));
            text.append('\n');
        }
        return text.toString();
    }

    /** Reads data/orders.csv, relative to the project's top folder. */
    public static List<Order> load() {
        try {
            List<String> lines = Files.readAllLines(FILE);
            if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
                throw new IllegalStateException(FILE + " should start with the header '" + HEADER + "'");
            }
            List<Order> orders = new ArrayList<>();
            for (int i = 1; i < lines.size(); i++) {
                orders.add(parse(lines.get(i), i + 1));
            }
            return orders;
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("cannot find " + FILE + ": run toykafka from the project's top folder", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + FILE + ": " + e.getMessage(), e);
        }
    }

    private static Order parse(String line, int lineNumber) {
        String[] fields = line.split(",", -1);
        if (fields.length != 3) {
            throw new IllegalStateException(FILE + " line " + lineNumber + ": expected 3 fields (order,till,parts),"
                    + " found " + fields.length + ": " + line);
        }
        List<List<String>> parts = Arrays.stream(fields[2].split(";")).map(part -> List.of(part.split("\\+"))).toList();
        return new Order(Integer.parseInt(fields[0]), Integer.parseInt(fields[1]), parts);
    }

    /** Writes the file again from the seed: {@code java toykafka.data.SampleOrders}. */
    public static void main(String[] args) throws IOException {
        Files.writeString(FILE, toCsv(generate(60)));
        System.out.println("wrote " + FILE);
    }
}
