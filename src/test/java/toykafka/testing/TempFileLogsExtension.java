package toykafka.testing;

import java.lang.reflect.Field;
import java.util.List;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;

/**
 * Gives every {@link TempFileLogs} field of a test (or of the classes a nested test sits in) FileLogs of its
 * own before the test; they are kept in the test's store, so JUnit closes them when the test ends.
 */
public final class TempFileLogsExtension implements BeforeEachCallback {

    private static final ExtensionContext.Namespace LOGS = ExtensionContext.Namespace.create(TempFileLogsExtension.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            List<Field> fields = AnnotationSupport.findAnnotatedFields(instance.getClass(), TempFileLogs.class,
                    field -> true, HierarchyTraversalMode.TOP_DOWN);
            for (Field field : fields) {
                if (field.getType() != FileLogs.class) {
                    throw new ExtensionConfigurationException("@TempFileLogs marks a FileLogs field, not " + field);
                }
                FileLogs logs = new FileLogs(TempFolder.create("toykafka-logs-"), List.of(field.getAnnotation(TempFileLogs.class).closeMayThrow()));
                context.getStore(LOGS).put(field, logs);
                field.setAccessible(true);
                try {
                    field.set(instance, logs);
                } catch (IllegalAccessException e) {
                    throw new ExtensionConfigurationException("cannot set " + field, e);
                }
            }
        }
    }
}
