package toykafka.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.opentest4j.AssertionFailedError;
import toykafka.broker.Broker;
import toykafka.broker.config.BrokerConfig;
import toykafka.testing.StartedBroker.Setting;

/**
 * What {@link StartedBroker} promises a test: a broker of its own or one for the class, with the front ends and
 * settings it names, stopped after, its folder gone, and no request that hit a fault of the broker's own unseen.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StartedBrokerExtensionTest {

    /** The brokers the fixtures were given, for the test to look at once JUnit is done with them. */
    static final List<RunningBroker> PER_TEST = new CopyOnWriteArrayList<>();
    static final List<RunningBroker> PER_CLASS = new CopyOnWriteArrayList<>();
    static final List<Broker> ALONE = new CopyOnWriteArrayList<>();

    @BeforeEach
    void forgetTheLastRun() {
        PER_TEST.clear();
        PER_CLASS.clear();
        ALONE.clear();
    }

    @Test
    void an_instance_field_gets_a_new_broker_each_test_and_a_static_field_one_for_the_class() {
        Map<String, TestExecutionResult> results = FixtureRun.of(TwoTests.class);

        assertEquals(List.of(TestExecutionResult.Status.SUCCESSFUL, TestExecutionResult.Status.SUCCESSFUL,
                TestExecutionResult.Status.SUCCESSFUL), results.values().stream().map(TestExecutionResult::getStatus).toList(),
                results.toString());
        assertEquals(2, PER_TEST.size());
        assertNotSame(PER_TEST.get(0), PER_TEST.get(1), "each test has a broker of its own");
        assertSame(PER_CLASS.get(0), PER_CLASS.get(1), "the class's broker is shared by its tests");
        assertNotSame(PER_TEST.get(0), PER_CLASS.get(0));
        for (RunningBroker broker : List.of(PER_TEST.get(0), PER_TEST.get(1), PER_CLASS.get(0))) {
            assertNull(broker.broker(), "stopped after its test or class");
            assertFalse(Files.exists(broker.dataDir()), broker.dataDir() + " is deleted");
        }
    }

    @Test
    void the_broker_has_the_front_ends_and_settings_the_field_names() {
        FixtureRun.of(TwoTests.class);

        RunningBroker overHttp = PER_TEST.get(0);
        assertTrue(overHttp.serves(FrontEnd.HTTP));
        assertFalse(overHttp.serves(FrontEnd.KAFKA));
        RunningBroker both = PER_CLASS.get(0);
        assertTrue(both.serves(FrontEnd.HTTP) && both.serves(FrontEnd.KAFKA));
    }

    @Test
    void a_Broker_field_gets_the_broker_alone_with_its_settings_and_its_folder_goes_after() {
        Map<String, TestExecutionResult> results = FixtureRun.of(BrokerAlone.class);

        assertEquals(TestExecutionResult.Status.SUCCESSFUL, results.get("creates_a_topic").getStatus(), results.toString());
        Broker broker = ALONE.get(0);
        assertEquals("7", broker.config().get(BrokerConfig.NODE_ID));
        assertFalse(Files.exists(broker.config().dataDir()), "the broker's folder is deleted after the test");
    }

    @Test
    void a_test_during_which_the_broker_logged_a_fault_of_its_own_fails_after_the_broker_stops() {
        Map<String, TestExecutionResult> results = FixtureRun.of(HitsAFault.class);

        TestExecutionResult result = results.get("logs_a_fault_and_asserts_nothing_on_it");
        assertEquals(TestExecutionResult.Status.FAILED, result.getStatus(), "a fault the test itself let pass fails it");
        Throwable reported = result.getThrowable().orElseThrow();
        Throwable failure = reported instanceof AssertionFailedError ? reported : reported.getCause();
        assertInstanceOf(AssertionFailedError.class, failure, reported.toString());
        assertTrue(failure.getMessage().startsWith("no request may hit a fault of the broker's own"), failure.getMessage());
        assertNull(PER_TEST.get(0).broker(), "the broker was stopped before the check");
        assertFalse(Files.exists(PER_TEST.get(0).dataDir()), "and its folder deleted");
    }

    @Test
    void a_broker_its_test_stopped_starts_again_on_its_folder_and_keeps_what_it_told_of_both_starts() {
        Map<String, TestExecutionResult> results = FixtureRun.of(StopsAndStartsAgain.class);

        assertEquals(TestExecutionResult.Status.SUCCESSFUL, results.get("stops_changes_nothing_and_starts_again").getStatus(),
                results.toString());
        RunningBroker broker = PER_TEST.get(0);
        assertNull(broker.broker(), "stopped after its test all the same");
        assertFalse(Files.exists(broker.dataDir()));
    }

    @Test
    void a_base_class_takes_the_broker_its_subclass_declares_as_a_parameter() {
        Map<String, TestExecutionResult> results = FixtureRun.of(DeclaresItsBroker.class);

        assertEquals(TestExecutionResult.Status.SUCCESSFUL, results.get("the_base_took_its_broker").getStatus(), results.toString());
    }

    @Test
    void a_broker_parameter_is_refused_where_two_brokers_run_naming_both() {
        String message = FixtureRun.failure(TwoToChooseFrom.class, "never_runs");
        assertTrue(message.contains("needs one started broker, not 2") && message.contains(".shared")
                && message.contains(".own"), message);
    }

    @Test
    void a_field_of_another_type_is_refused_naming_it() {
        String message = FixtureRun.failure(MarksAString.class, "never_runs");
        assertTrue(message.startsWith("@StartedBroker marks a RunningBroker or Broker field, not ")
                && message.endsWith(".broker"), message);
    }

    @Test
    void a_clock_named_that_is_no_Clock_field_of_the_instance_is_refused_naming_it() {
        String message = FixtureRun.failure(NamesAStaticClock.class, "never_runs");
        assertTrue(message.contains(".clock, which is not a Clock field of the instance as the broker's is"), message);
    }

    @FixtureRun.Fixture
    static class NamesAStaticClock {
        static final java.time.Clock clock = java.time.Clock.systemUTC();
        @StartedBroker(clock = "clock")
        Broker broker;

        @Test
        void never_runs() {
        }
    }

    @FixtureRun.Fixture
    static class TwoTests {
        @StartedBroker(value = {FrontEnd.HTTP, FrontEnd.KAFKA}, trace = true)
        static RunningBroker shared;
        @StartedBroker(FrontEnd.HTTP)
        RunningBroker own;

        @Test
        void one() {
            PER_TEST.add(own);
            PER_CLASS.add(shared);
            assertEquals(200, own.get(RunningBroker.TOPICS).status());
        }

        @Test
        void two() {
            PER_TEST.add(own);
            PER_CLASS.add(shared);
            assertEquals(200, shared.get(RunningBroker.TOPICS).status());
            assertNotNull(shared.bootstrapServers());
        }
    }

    @FixtureRun.Fixture
    static class BrokerAlone {
        @StartedBroker(settings = @Setting(name = BrokerConfig.NODE_ID, value = "7"))
        Broker broker;

        @Test
        void creates_a_topic() {
            ALONE.add(broker);
            broker.createTopic("orders", 1, Map.of(), toykafka.lesson04.OnDuplicate.FAIL);
            assertTrue(broker.listTopics().contains("orders"), broker.listTopics().toString());
        }
    }

    @FixtureRun.Fixture
    static class HitsAFault {
        @StartedBroker(FrontEnd.HTTP)
        RunningBroker broker;

        @Test
        void logs_a_fault_and_asserts_nothing_on_it() {
            PER_TEST.add(broker);
            assertEquals(200, broker.get(RunningBroker.TOPICS).status());
            // what the front end writes when a route throws something no refusal covers, as a broker bug would
            broker.faultLog().println("toykafka broker: fault while serving GET " + RunningBroker.TOPICS + ":");
        }
    }

    @FixtureRun.Fixture
    static class StopsAndStartsAgain {
        @StartedBroker
        RunningBroker broker;

        @Test
        void stops_changes_nothing_and_starts_again() {
            PER_TEST.add(broker);
            broker.broker().createTopic("orders", 1, Map.of(), toykafka.lesson04.OnDuplicate.FAIL);
            broker.close();
            assertNull(broker.broker());
            broker.restart();
            assertTrue(broker.broker().listTopics().contains("orders"), broker.broker().listTopics().toString());
            assertEquals(2, broker.events().stream().filter(event -> event.startsWith("replayed ")).count(),
                    "one replay of the offsets each start: " + broker.events());
        }
    }

    /** A base class that works on whichever broker its subclass declares. */
    abstract static class TakesTheBroker {
        Broker taken;

        @BeforeEach
        void take(Broker broker) {
            taken = broker;
        }
    }

    @FixtureRun.Fixture
    static class DeclaresItsBroker extends TakesTheBroker {
        @StartedBroker(settings = @Setting(name = BrokerConfig.NODE_ID, value = "7"))
        RunningBroker own;

        @Test
        void the_base_took_its_broker(RunningBroker running) {
            assertSame(own, running);
            assertSame(own.broker(), taken);
            assertEquals(7, taken.nodeId());
        }
    }

    @FixtureRun.Fixture
    static class TwoToChooseFrom {
        @StartedBroker
        static RunningBroker shared;
        @StartedBroker
        RunningBroker own;

        @Test
        void never_runs(Broker broker) {
        }
    }

    @FixtureRun.Fixture
    static class MarksAString {
        @StartedBroker
        String broker;

        @Test
        void never_runs() {
        }
    }
}
