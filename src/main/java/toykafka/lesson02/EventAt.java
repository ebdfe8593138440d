package toykafka.lesson02;

/** An event together with the offset it was read from; Kafka's ConsumerRecord carries the same pair. */
public record EventAt<E>(long offset, E event) {

    @Override
    public String toString() {
        return "@" + offset + ":" + event;
    }
}
