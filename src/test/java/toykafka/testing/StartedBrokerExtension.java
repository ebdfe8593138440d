package toykafka.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;
import toykafka.broker.Broker;

/**
 * Starts the broker of each {@link StartedBroker} field: for a static field before the class's tests, kept in
 * the class's store; for an instance field before each test, kept in the test's. JUnit closes the store when
 * the class or the test ends, which stops the broker, checks its faults and deletes its data directory.
 * A method's {@link RunningBroker} or {@link Broker} parameter is the one started broker, so that a base
 * class can work on the broker each of its subclasses declares with settings of its own.
 */
public final class StartedBrokerExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace BROKERS = ExtensionContext.Namespace.create(StartedBrokerExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        for (Field field : fields(context.getRequiredTestClass(), field -> Modifier.isStatic(field.getModifiers()))) {
            start(context, field, null);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            for (Field field : fields(instance.getClass(), field -> !Modifier.isStatic(field.getModifiers()))) {
                start(context, field, instance);
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == RunningBroker.class || type == Broker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        List<Field> started = started(context);
        if (started.size() != 1) {
            throw new ParameterResolutionException(parameter.getParameter() + " of " + parameter.getDeclaringExecutable()
                    + " needs one started broker, not " + started.size() + ": " + started);
        }
        RunningBroker broker = context.getStore(BROKERS).get(started.get(0), Stopped.class).broker();
        return parameter.getParameter().getType() == Broker.class ? broker.broker() : broker;
    }

    /** The fields whose broker runs now: a static one's, and in a test, an instance one's too. */
    private static List<Field> started(ExtensionContext context) {
        Stream<Class<?>> classes = context.getTestInstances().map(instances -> instances.getAllInstances().stream()
                .<Class<?>>map(Object::getClass)).orElseGet(() -> Stream.of(context.getRequiredTestClass()));
        return classes.flatMap(testClass -> fields(testClass, field -> true).stream()).distinct()
                .filter(field -> context.getStore(BROKERS).get(field) != null).toList();
    }

    private static List<Field> fields(Class<?> testClass, Predicate<Field> which) {
        return AnnotationSupport.findAnnotatedFields(testClass, StartedBroker.class, which, HierarchyTraversalMode.TOP_DOWN);
    }

    private static void start(ExtensionContext context, Field field, Object instance) {
        if (field.getType() != RunningBroker.class && field.getType() != Broker.class) {
            throw new ExtensionConfigurationException("@StartedBroker marks a RunningBroker or Broker field, not " + field);
        }
        StartedBroker wanted = field.getAnnotation(StartedBroker.class);
        Map<String, String> settings = new LinkedHashMap<>();
        for (StartedBroker.Setting setting : wanted.settings()) {
            settings.put(setting.name(), setting.value());
        }
        Path dataDir = TempFolder.create("toykafka-broker-");
        RunningBroker broker;
        try {
            broker = new RunningBroker(dataDir, Set.of(wanted.value()), settings, wanted.trace(), clock(field, wanted, instance));
        } catch (RuntimeException e) {
            TempFolder.delete(dataDir);
            throw e;
        }
        context.getStore(BROKERS).put(field, new Stopped(broker, dataDir));
        field.setAccessible(true);
        try {
            field.set(instance, field.getType() == Broker.class ? broker.broker() : broker);
        } catch (IllegalAccessException e) {
            throw new ExtensionConfigurationException("cannot set " + field, e);
        }
    }

    /** The clock the field names, read from the same instance (or class) the broker's field is set on. */
    private static Clock clock(Field brokerField, StartedBroker wanted, Object instance) {
        if (wanted.clock().isEmpty()) {
            return Clock.systemUTC();
        }
        Field field = ReflectionSupport.findFields(brokerField.getDeclaringClass(), candidate -> candidate.getName().equals(wanted.clock()),
                HierarchyTraversalMode.BOTTOM_UP).stream().findFirst().orElseThrow(() -> new ExtensionConfigurationException(
                "@StartedBroker of " + brokerField + " names no field " + wanted.clock()));
        if (!Clock.class.isAssignableFrom(field.getType()) || Modifier.isStatic(field.getModifiers()) != (instance == null)) {
            throw new ExtensionConfigurationException("@StartedBroker of " + brokerField + " names " + field
                    + ", which is not a Clock field " + (instance == null ? "static" : "of the instance") + " as the broker's is");
        }
        field.setAccessible(true);
        try {
            return Objects.requireNonNull((Clock) field.get(instance), () -> field + " is null when the broker starts");
        } catch (IllegalAccessException e) {
            throw new ExtensionConfigurationException("cannot read " + field, e);
        }
    }

    /** What JUnit closes when the test or class ends: the broker, then its folder, then the check of its faults. */
    private record Stopped(RunningBroker broker, Path dataDir) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            try {
                broker.close();
            } finally {
                TempFolder.delete(dataDir);
            }
            if (broker.serves(FrontEnd.HTTP)) {
                assertEquals("", broker.faults(), "no request may hit a fault of the broker's own");
            }
        }
    }
}
