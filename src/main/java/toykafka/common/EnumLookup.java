package toykafka.common;

import java.util.Arrays;
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
        return Arrays.stream(constants).filter(constant -> id.applyAsInt(constant) == wanted).findFirst();
    }

    /** The constant whose {@code name} is {@code wanted}; empty if none has it. */
    public static <E extends Enum<E>> Optional<E> byName(E[] constants, Function<E, String> name, String wanted) {
        return Arrays.stream(constants).filter(constant -> Objects.equals(name.apply(constant), wanted)).findFirst();
    }
}
