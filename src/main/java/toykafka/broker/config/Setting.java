package toykafka.broker.config;

import java.util.function.Predicate;

/** One broker setting: its name (also the properties-file key), flag, environment variable, default and rule. */
public record Setting(String name, String kafkaName, String environment, String defaultValue,
                      Predicate<String> accepts, String rule, String meaning) {

    /** A setting whose values and refusal come from one {@link SettingRules.Rule}, so they cannot disagree. */
    Setting(String name, String kafkaName, String environment, String defaultValue, SettingRules.Rule rule,
            String meaning) {
        this(name, kafkaName, environment, defaultValue, rule.accepts(), rule.refusal(), meaning);
    }

    /** The command-line flag: the name with dots turned into dashes. */
    public String flag() {
        return "--" + name.replace('.', '-');
    }
}
