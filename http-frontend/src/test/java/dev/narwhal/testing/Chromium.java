package dev.narwhal.testing;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium for the browser tests (the dashboard's and the blog's), shared through
 * this module's test jar.
 */
public final class Chromium {
  static final Path BINARY = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  private Chromium() {}

  /**
   * Skips the test where the browser is missing, but fails it in CI ({@code CI=true}): .ci/run
   * installs both, so a missing one there is a broken environment, and a skip would pass unseen.
   */
  public static void require() {
    if (Files.isExecutable(BINARY) && Files.isExecutable(DRIVER)) {
      return;
    }
    String why = BINARY + " or " + DRIVER + " is missing (apt-get install chromium chromium-driver)";
    if ("true".equals(System.getenv("CI"))) {
      fail(why + "; CI=true, where the browser tests must run, not skip");
    }
    assumeTrue(false, why);
  }

  /**
   * A headless browser with its profile in {@code profile}. Both the binary and the driver are
   * named, so Selenium Manager has nothing to look up and never tries to download either.
   */
  public static WebDriver start(Path profile, int width, int height) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BINARY.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
    return new ChromeDriver(service, options);
  }
}
