package io.strideback.browser;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver: a fresh profile per instance,
 * nothing fetched from the network by the browser or by Selenium. Fails (never skips) when the
 * browser is not installed.
 */
final class Chromium implements AutoCloseable {

    static final Path BINARY = Path.of(System.getProperty("browser-tests.chromium", "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(System.getProperty("browser-tests.chromedriver", "/usr/bin/chromedriver"));
    static final Path SCREENSHOTS = Path.of(System.getProperty("browser-tests.screenshots", "target/screenshots"));

    private final ChromeDriver driver;
    private final Path profile;

    private Chromium(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Throws, with what to do, when Chromium or chromedriver is missing. */
    static void requireInstalled() {
        for (Path p : new Path[] {BINARY, DRIVER}) {
            if (!Files.isExecutable(p)) {
                throw new IllegalStateException(p + " is not installed: the browser tests need Debian's chromium and "
                        + "chromium-driver. Run browser-tests/install-chromium.sh as root (.ci/run does) and try again.");
            }
        }
    }

    static Chromium start(int width, int height) {
        requireInstalled();
        try {
            Path profile = Files.createTempDirectory("strideback-chromium-");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(BINARY.toFile());
            options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-extensions", "--hide-scrollbars",
                    "--force-device-scale-factor=1", "--lang=en-GB", "--window-size=" + width + "," + height,
                    "--user-data-dir=" + profile);
            options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL"));
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
            ChromeDriver driver = new ChromeDriver(service, options);
            // A test JVM stopped from outside must not leave a browser behind.
            Thread quit = new Thread(() -> {
                try {
                    driver.quit();
                } catch (RuntimeException alreadyGone) {
                    // closed already
                }
            });
            Runtime.getRuntime().addShutdownHook(quit);
            driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
            return new Chromium(driver, profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    java.util.List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Waits for the condition; when it does not come, says what the page showed and logged. */
    <T> T await(String what, Duration timeout, Function<ChromeDriver, T> condition) {
        try {
            return new WebDriverWait(driver, timeout).withMessage(what).pollingEvery(Duration.ofMillis(200))
                    .until(d -> condition.apply((ChromeDriver) d));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("waited " + timeout.toSeconds() + " s for " + what + "; " + diagnosis(), e);
        }
    }

    /** The page's state, its alert and the browser console, for a failure message. */
    String diagnosis() {
        StringBuilder b = new StringBuilder("url ").append(driver.getCurrentUrl());
        try {
            b.append(", state ").append(js("return document.querySelector('main') && document.querySelector('main').dataset.state"));
            b.append(", alert \"").append(js("const a = document.getElementById('alert'); return a ? a.textContent : ''")).append('"');
            b.append(", console:");
            driver.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER)
                    .forEach(entry -> b.append("\n  ").append(entry.getLevel()).append(' ').append(entry.getMessage()));
        } catch (RuntimeException e) {
            b.append(" (").append(e.getMessage()).append(')');
        }
        return b.toString();
    }

    void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /** The whole page at this width (the window grows to the page's height for the picture), as a PNG. */
    Path screenshot(String name) {
        Dimension before = driver.manage().window().getSize();
        long height = ((Number) js("return Math.ceil(document.documentElement.scrollHeight)")).longValue();
        resize(before.getWidth(), (int) Math.min(Math.max(height + 120, before.getHeight()), 8000));
        try {
            js("window.scrollTo(0, 0); return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))");
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            File shot = driver.getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            resize(before.getWidth(), before.getHeight());
        }
    }

    /** What the window shows now (no resizing, so a tooltip stays open), as a PNG. */
    Path viewportScreenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temporary profile; the OS cleans up
            }
        }
    }
}
