package toykafka.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a {@link FileLogs} field: each test gets FileLogs in a fresh temporary folder, and every log it opened
 * is closed after the test. A close that throws fails the test, unless it throws one of {@link #closeMayThrow()}.
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(TempFileLogsExtension.class)
public @interface TempFileLogs {

    /** What closing may throw for tests that break a log on purpose and have asserted on its failure already. */
    Class<? extends RuntimeException>[] closeMayThrow() default {};
}
