package toykafka.cli;

import java.io.Console;
import java.lang.reflect.Method;

/** Whether someone is at a keyboard, so that pausing for Enter makes sense, and whether errors go to a screen. */
final class Terminal {

    private Terminal() {
    }

    /**
     * Up to JDK 21, System.console() is null unless input and output are both a terminal. From JDK 22
     * it returns a console even when they are redirected, and Console.isTerminal() tells the difference.
     */
    /** The launcher's answer to "is standard error a terminal?" ({@code [ -t 2 ]}); Java cannot ask itself. */
    static final String ERROR_TERMINAL_PROPERTY = "toykafka.stderr.terminal";

    /**
     * Whether standard error is a terminal, as {@code ./toykafka} found it; run some other way, whether
     * someone is at the keyboard at all. Redirected output ({@code 2>log}) is not a terminal.
     */
    static boolean isErrorTerminal() {
        String launcher = System.getProperty(ERROR_TERMINAL_PROPERTY);
        return launcher != null ? Boolean.parseBoolean(launcher) : isInteractive();
    }

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
