package toykafka.common;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Finds the constant of an enum that an id or a name stands for, as read from the wire, a file or a config.
 * An unknown one is empty, so each enum refuses it with its own error and its own message.
 */
public final class EnumLookup {

    private EnumLookup() {
    }

    /** The constant whose {@code id} is {@code wanted}; empty if none has it. */
    public static <E extends Enum<E>> Optional<E> byId(E[] constants, ToIntFunction<E> id, int wanted) {
        for (E constant : constants) { // a loop, not a stream: a batch's codec is looked up on every read
            if (id.applyAsInt(constant) == wanted) {
                return Optional.of(constant);
            }
        }
        return Optional.empty();
    }

    /** The constant whose {@code name} is {@code wanted}; empty if none has it. */
    public static <E extends Enum<E>> Optional<E> byName(E[] constants, Function<E, String> name, String wanted) {
        for (E constant : constants) {
            if (Objects.equals(name.apply(constant), wanted)) {
                return Optional.of(constant);
            }
        }
        return Optional.empty();
    }
}
