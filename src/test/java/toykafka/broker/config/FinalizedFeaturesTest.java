package toykafka.broker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.common.InvalidConfigurationException;

class FinalizedFeaturesTest {

    @TempDir
    Path dataDir;

    @Test
    void changed_levels_and_their_epoch_are_read_back_from_the_data_directory() {
        FinalizedFeatures features = FinalizedFeatures.open(dataDir);
        assertEquals(new FinalizedFeatures.Levels(Map.of(), 0), features.levels());
        features.update(Map.of("transaction.version", (short) 1));
        features.update(Map.of("group.version", (short) 0));
        FinalizedFeatures.Levels reopened = FinalizedFeatures.open(dataDir).levels();
        assertEquals(Map.of("transaction.version", (short) 1, "group.version", (short) 0), reopened.changed());
        assertEquals(2, reopened.epoch());
        assertFalse(Files.exists(dataDir.resolve(FinalizedFeatures.FILE + ".tmp")), "replaced, not left half-written");
    }

    @Test
    void a_level_that_is_not_a_number_is_refused_naming_the_file_the_feature_and_the_range() throws IOException {
        Files.writeString(dataDir.resolve(FinalizedFeatures.FILE), "epoch=1\ntransaction.version=two\n");
        InvalidConfigurationException refused = assertThrows(InvalidConfigurationException.class, () -> FinalizedFeatures.open(dataDir));
        assertTrue(refused.getMessage().contains("transaction.version the value 'two'"), refused.getMessage());
        assertTrue(refused.getMessage().contains("from 0 to 32767"), refused.getMessage());
    }
}
