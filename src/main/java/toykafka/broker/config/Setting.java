package toykafka.broker.config;

import java.util.function.Predicate;

/** One broker setting: its name (also the properties-file key), flag, environment variable, default and rule. */
public record Setting(String name, String kafkaName, String environment, String defaultValue,
                      Predicate<String> accepts, String rule, String meaning) {

    /** The command-line flag: the name with dots turned into dashes. */
    public String flag() {
        return "--" + name.replace('.', '-');
    }
}
