package toykafka.cli;

import java.io.Console;
import java.lang.reflect.Method;

/** Whether someone is at a keyboard, so that pausing for Enter makes sense. */
final class Terminal {

    private Terminal() {
    }

    /**
     * Up to JDK 21, System.console() is null unless input and output are both a terminal. From JDK 22
     * it returns a console even when they are redirected, and Console.isTerminal() tells the difference.
     */
    static boolean isInteractive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException olderJdk) {
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}
