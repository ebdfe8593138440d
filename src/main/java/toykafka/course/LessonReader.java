package toykafka.course;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A lesson's text for the terminal: the AsciiDoc of lessons/ with every include replaced by the
 * code it names, as the book shows it, and the markup that only the book needs left out. Folded
 * blocks (hints, the exercise's solution) stay folded unless asked for by name.
 */
public final class LessonReader {

    private static final Map<String, String> DIRECTORIES = Map.of(
            "sourcedir", "src/main/java",
            "exercisedir", "src/exercises/java",
            "testdir", "src/test/java",
            "hintsdir", "src/main/resources/toykafka/hints");

    private static final Pattern INCLUDE = Pattern.compile("include::\\{(\\w+)}/([^\\[]+)\\[([^\\]]*)]");
    private static final Pattern HEADING = Pattern.compile("^(=+) (.+)$");
    private static final Pattern ANCHOR = Pattern.compile("^\\[\\[([\\w-]+)]]$");
    private static final Pattern TAG_MARKER = Pattern.compile("(tag|end)::([\\w*-]+)\\[]");
    /** {@code <<id>>} or {@code <<id,text>>}, and {@code xref:file#id[text]}: the book's links. */
    private static final Pattern CROSS_REFERENCE = Pattern.compile("<<([\\w-]+)(?:,\\s*([^>]+?))?>>"
            + "|xref:([^\\s\\[#]*)(?:#([\\w-]+))?\\[([^\\]]*)]");

    /** One section: its heading level (1 for "=="), title, anchor and lines, the heading line first. */
    record Section(int level, String title, String anchor, List<String> lines) {
    }

    private final Path root;

    public LessonReader(Path root) {
        this.root = root;
    }

    /** The whole lesson, ready to print. */
    public String read(Lesson lesson) {
        return String.join("\n", render(lesson, sections(lesson))) + "\n";
    }

    /**
     * The section whose title or anchor matches {@code wanted} (case does not matter; the start of a
     * title is enough), with its subsections; "solution" and "hints" open the folded blocks.
     */
    public String read(Lesson lesson, String wanted) {
        String key = normalise(wanted);
        List<Section> sections = sections(lesson);
        Optional<String> folded = foldedBlock(lesson, key);
        if (folded.isPresent()) {
            return folded.get();
        }
        for (int i = 0; i < sections.size(); i++) {
            Section section = sections.get(i);
            if (key.equals(normalise(section.title())) || (section.anchor() != null && key.equals(normalise(section.anchor())))
                    || (!key.isEmpty() && normalise(section.title()).startsWith(key))) {
                List<Section> chosen = new ArrayList<>(List.of(section));
                for (int j = i + 1; j < sections.size() && sections.get(j).level() > section.level(); j++) {
                    chosen.add(sections.get(j));
                }
                return String.join("\n", render(lesson, chosen)) + "\n";
            }
        }
        throw new IllegalArgumentException("lesson " + lesson.number() + " has no section '" + wanted + "'; its"
                + " sections are: " + String.join(", ", sections.stream().filter(s -> s.level() > 0)
                .map(Section::title).toList()) + ", and the folded 'hints' and 'solution'");
    }

    /** The titles of a lesson's sections, in order. */
    public List<String> sectionTitles(Lesson lesson) {
        return sections(lesson).stream().filter(section -> section.level() > 0).map(Section::title).toList();
    }

    private Optional<String> foldedBlock(Lesson lesson, String key) {
        List<String> lines = lines(root.resolve(lesson.lessonFile()));
        String wantedTitle = switch (key) {
            case "solution" -> "[[solution]]";
            case "hints", "hint" -> ".Hints";
            default -> null;
        };
        if (wantedTitle == null) {
            return Optional.empty();
        }
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(wantedTitle)) {
                int open = i;
                while (open < lines.size() && !lines.get(open).equals("====")) {
                    open++;
                }
                int close = open + 1;
                while (close < lines.size() && !lines.get(close).equals("====")) {
                    close++;
                }
                List<String> out = new ArrayList<>();
                String title = lines.subList(i, open).stream().filter(l -> l.startsWith(".")).findFirst()
                        .map(l -> l.substring(1)).orElse(key);
                out.add(title);
                out.add("-".repeat(title.length()));
                out.addAll(expand(lesson, lines.subList(Math.min(open + 1, lines.size()), Math.min(close, lines.size()))));
                return Optional.of(String.join("\n", tidy(out)) + "\n");
            }
        }
        return Optional.empty();
    }

    private List<Section> sections(Lesson lesson) {
        List<String> lines = lines(root.resolve(lesson.lessonFile()));
        List<Section> sections = new ArrayList<>();
        List<String> current = new ArrayList<>();
        String pendingAnchor = null;
        Section section = new Section(0, "", null, current);
        for (String line : lines) {
            Matcher anchor = ANCHOR.matcher(line);
            if (anchor.matches()) {
                pendingAnchor = anchor.group(1);
                current.add(line);
                continue;
            }
            Matcher heading = HEADING.matcher(line);
            if (heading.matches() && heading.group(1).length() >= 2) {
                // the anchor line belongs to the section it names, not to the one before
                if (pendingAnchor != null && !current.isEmpty()) {
                    current.remove(current.size() - 1);
                }
                sections.add(section);
                current = new ArrayList<>();
                current.add(line);
                section = new Section(heading.group(1).length() - 1, heading.group(2), pendingAnchor, current);
                pendingAnchor = null;
                continue;
            }
            pendingAnchor = null;
            current.add(line);
        }
        sections.add(section);
        return sections;
    }

    private List<String> render(Lesson lesson, List<Section> sections) {
        List<String> raw = new ArrayList<>();
        sections.forEach(section -> raw.addAll(section.lines()));
        return tidy(expand(lesson, raw));
    }

    /** Replaces includes with code, folds collapsible blocks, and turns AsciiDoc markup into plain text. */
    private List<String> expand(Lesson lesson, List<String> lines) {
        Map<String, String> titles = titles(lesson);
        List<String> out = new ArrayList<>();
        boolean inCode = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.equals("[%collapsible]")) {
                String title = !out.isEmpty() && out.get(out.size() - 1).startsWith(".")
                        ? out.remove(out.size() - 1).substring(1) : "folded";
                int end = i + 2;
                while (end < lines.size() && !lines.get(end).equals("====")) {
                    end++;
                }
                String name = title.startsWith("Hints") ? "hints" : "solution";
                out.add("[" + title + ": folded; ./toykafka read " + lesson.number() + " " + name + " opens it]");
                i = end;
                continue;
            }
            Matcher include = INCLUDE.matcher(line);
            if (include.find()) {
                List<String> code = included(include.group(1), include.group(2), include.group(3));
                String margin = "hintsdir".equals(include.group(1)) || !inCode ? "" : "    ";
                code.forEach(codeLine -> out.add(margin + codeLine));
                continue;
            }
            if (line.equals("----")) {
                inCode = !inCode;
                continue;
            }
            if (inCode) {
                out.add("    " + line);
                continue;
            }
            if (line.startsWith(":") || line.startsWith("[source") || line.startsWith("[cols") || line.equals("[%collapsible]")
                    || ANCHOR.matcher(line).matches() || line.equals("====") || line.equals("|===")) {
                continue;
            }
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                String title = heading.group(2);
                out.add("");
                out.add(title);
                out.add((heading.group(1).length() <= 2 ? "=" : "-").repeat(title.length()));
                continue;
            }
            out.add(crossReferences(line, titles));
        }
        return out;
    }

    /** Each anchored section's title, by its anchor. */
    private Map<String, String> titles(Lesson lesson) {
        Map<String, String> titles = new java.util.HashMap<>();
        sections(lesson).stream().filter(section -> section.anchor() != null)
                .forEach(section -> titles.put(section.anchor(), section.title()));
        return titles;
    }

    /**
     * The line with each cross-reference as a reader of the book sees it: its own text, or, with none, the title of
     * the section it names ({@code titles}, by anchor), else the anchor in words, else the file it names.
     */
    static String crossReferences(String line, Map<String, String> titles) {
        Matcher reference = CROSS_REFERENCE.matcher(line);
        StringBuilder out = new StringBuilder();
        while (reference.find()) {
            boolean inBook = reference.group(1) != null;
            String text = inBook ? reference.group(2) : reference.group(5);
            String anchor = inBook ? reference.group(1) : reference.group(4);
            if (text == null || text.isBlank()) {
                text = anchor == null ? reference.group(3) : titles.getOrDefault(anchor, anchor.replace('-', ' '));
            }
            reference.appendReplacement(out, Matcher.quoteReplacement(text.strip()));
        }
        reference.appendTail(out);
        return out.toString();
    }

    /** No runs of blank lines, none at the start. */
    private static List<String> tidy(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            boolean blank = line.isBlank();
            if (blank && (out.isEmpty() || out.get(out.size() - 1).isBlank())) {
                continue;
            }
            out.add(blank ? "" : line);
        }
        while (!out.isEmpty() && out.get(out.size() - 1).isBlank()) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    private List<String> included(String attribute, String path, String options) {
        String directory = DIRECTORIES.get(attribute);
        if (directory == null) {
            return List.of("[unknown include {" + attribute + "}/" + path + "]");
        }
        List<String> lines = lines(root.resolve(directory).resolve(path));
        Map<String, String> settings = options(options);
        List<String> chosen;
        if (settings.containsKey("tag") || settings.containsKey("tags")) {
            chosen = tagged(lines, settings.getOrDefault("tags", settings.get("tag")));
        } else if (settings.containsKey("lines")) {
            String[] range = settings.get("lines").split("\\.\\.");
            int from = Integer.parseInt(range[0]);
            int to = Integer.parseInt(range[1]);
            chosen = lines.subList(from - 1, to < 0 ? lines.size() : Math.min(to, lines.size()));
        } else {
            chosen = lines.stream().filter(line -> !TAG_MARKER.matcher(line).find()).toList();
        }
        return "0".equals(settings.get("indent")) ? unindent(chosen) : chosen;
    }

    private static Map<String, String> options(String options) {
        Map<String, String> settings = new java.util.HashMap<>();
        for (String option : options.split(",")) {
            int equals = option.indexOf('=');
            if (equals > 0) {
                settings.put(option.substring(0, equals).strip(), option.substring(equals + 1).strip());
            }
        }
        return settings;
    }

    /** The lines inside the named tags; "**" is every line, "!name" leaves a tag's lines out. */
    private static List<String> tagged(List<String> lines, String tags) {
        List<String> wanted = new ArrayList<>();
        List<String> unwanted = new ArrayList<>();
        boolean everything = false;
        for (String tag : tags.split(";")) {
            if (tag.equals("**") || tag.equals("*")) {
                everything = true;
            } else if (tag.startsWith("!")) {
                unwanted.add(tag.substring(1));
            } else {
                wanted.add(tag);
            }
        }
        List<String> out = new ArrayList<>();
        List<String> open = new ArrayList<>();
        for (String line : lines) {
            Matcher marker = TAG_MARKER.matcher(line);
            if (marker.find()) {
                if (marker.group(1).equals("tag")) {
                    open.add(marker.group(2));
                } else {
                    open.remove(marker.group(2));
                }
                continue;
            }
            boolean in = (everything || open.stream().anyMatch(wanted::contains))
                    && open.stream().noneMatch(unwanted::contains);
            if (in) {
                out.add(line);
            }
        }
        return out;
    }

    private static List<String> unindent(List<String> lines) {
        int margin = lines.stream().filter(line -> !line.isBlank())
                .mapToInt(line -> line.length() - line.stripLeading().length()).min().orElse(0);
        return lines.stream().map(line -> line.isBlank() ? "" : line.substring(margin)).toList();
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": run toykafka from the project's top folder", e);
        }
    }

    private static String normalise(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", " ").strip();
    }
}
