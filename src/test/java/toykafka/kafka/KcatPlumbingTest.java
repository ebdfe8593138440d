package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** The kcat harness on its own, without a broker: it finds kcat, and a missing kcat fails on CI and skips elsewhere. */
class KcatPlumbingTest {

    @Test
    void kcat_runs_and_names_its_librdkafka() {
        ChildProcess.Result version = Kcat.require().run(null, "-V").assertSucceeded();
        assertTrue(version.output().contains("librdkafka"), version.describe());
    }

    @Test
    void a_missing_kcat_fails_the_test_when_ci_requires_it() {
        AssertionFailedError failure = assertThrows(AssertionFailedError.class,
                () -> Kcat.require(Map.of("PATH", "/nonexistent", Kcat.REQUIRE_VARIABLE, "1")));
        assertTrue(failure.getMessage().contains("apt-get install kcat"), failure.getMessage());
    }

    @Test
    void a_missing_kcat_skips_the_test_with_how_to_install_it_elsewhere() {
        TestAbortedException skipped = assertThrows(TestAbortedException.class,
                () -> Kcat.require(Map.of("PATH", "/nonexistent")));
        assertTrue(skipped.getMessage().contains("apt-get install kcat"), skipped.getMessage());
    }
}
