package toykafka.console;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium, driven through Debian's chromedriver, for the console's tests. Neither is
 * downloaded: a machine without them skips the browser tests with a note, and CI, which installs both, sets
 * {@value #REQUIRE_VARIABLE} so that a missing browser fails instead.
 */
final class Chromium implements AutoCloseable {

    static final String REQUIRE_VARIABLE = "TOYKAFKA_REQUIRE_CHROMIUM";
    /** Chromium's own calls home are turned off: this machine's network is closed, and tests must not wait on it. */
    private static final List<String> QUIET = List.of("--headless=new", "--no-sandbox", "--disable-gpu",
            "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-default-apps", "--window-size=1280,900");

    private final ChromeDriver driver;

    private Chromium(ChromeDriver driver) {
        this.driver = driver;
    }

    /** A new browser with an empty profile in {@code profile}; skipped, or failed on CI, when there is none. */
    static Chromium start(Path profile) {
        Optional<Path> browser = onPath("chromium", "chromium-browser");
        Optional<Path> chromedriver = onPath("chromedriver");
        if (browser.isEmpty() || chromedriver.isEmpty()) {
            String missing = "the console's browser tests need Debian's chromium and chromium-driver"
                    + " (apt-get install chromium chromium-driver); this machine lacks "
                    + (browser.isEmpty() ? "chromium" : "chromedriver");
            if ("1".equals(System.getenv(REQUIRE_VARIABLE))) {
                fail(missing);
            }
            System.out.println("[toykafka] " + missing + ": skipping");
            assumeTrue(false, missing);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser.get().toFile());
        options.addArguments(QUIET);
        options.addArguments("--user-data-dir=" + profile.toAbsolutePath());
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.get().toFile()).usingAnyFreePort().build();
        return new Chromium(new ChromeDriver(service, options));
    }

    private static Optional<Path> onPath(String... names) {
        for (String directory : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            for (String name : names) {
                Path candidate = Path.of(directory, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    ChromeDriver driver() {
        return driver;
    }

    void open(String url) {
        driver.get(url);
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    /**
     * Clicks the element, found afresh until the click lands: a live view redraws between finding an element and
     * clicking it, which leaves the element found stale.
     */
    void click(String css) {
        try {
            new WebDriverWait(driver, Duration.ofMinutes(1), Duration.ofMillis(25))
                    .ignoring(StaleElementReferenceException.class)
                    .until(ignored -> {
                        find(css).click();
                        return true;
                    });
        } catch (org.openqa.selenium.TimeoutException e) {
            fail("could not click " + css + " within a minute: the page kept redrawing it");
        }
    }

    /** The text of the element, found afresh until it is read: a redraw can replace it between the two. */
    String text(String css) {
        return text(css, 0);
    }

    /**
     * The text of the {@code index}th element matching {@code css}, found afresh until it is read; an element that
     * is not there at all fails at once, as {@link #find} does.
     */
    String text(String css, int index) {
        try {
            return new WebDriverWait(driver, Duration.ofMinutes(1), Duration.ofMillis(25))
                    .ignoring(StaleElementReferenceException.class)
                    .until(ignored -> {
                        List<WebElement> found = all(css);
                        if (found.size() <= index) {
                            throw new NoSuchElementException("no element " + index + " of " + css);
                        }
                        return found.get(index).getText();
                    });
        } catch (org.openqa.selenium.TimeoutException e) {
            return fail("could not read " + css + " within a minute: the page kept redrawing it");
        }
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Waits until the condition holds, and says what it last saw if it never does. */
    void await(Duration within, String what, Supplier<Boolean> condition, Supplier<String> seen) {
        try {
            new WebDriverWait(driver, within, Duration.ofMillis(25)).ignoring(RuntimeException.class)
                    .until(ignored -> condition.get());
        } catch (org.openqa.selenium.TimeoutException e) {
            fail(what + " within " + within.toMillis() + " ms; the page showed: " + seen.get());
        }
    }

    /** Whatever the page's script ran into: errors logged, uncaught exceptions, refused loads and requests. */
    List<String> errors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage).toList();
    }

    /** A screenshot of the page as it is now, written to {@code file}. */
    void screenshot(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
