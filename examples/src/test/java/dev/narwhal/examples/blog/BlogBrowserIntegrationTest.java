package dev.narwhal.examples.blog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.Server;
import dev.narwhal.config.BindAddress;
import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Settings;
import dev.narwhal.testing.Chromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A person's path through the blog in a real browser: Debian's headless Chromium driven by
 * Selenium. Skipped where Chromium or its driver is not installed, except in CI ({@code CI=true}):
 * {@code .ci/run} installs both, so a missing one there fails rather than passing unseen as a skip.
 */
class BlogBrowserIntegrationTest {
  static final Path SCREENSHOT = Path.of("target", "blog-browser.png");

  @TempDir
  Path dir;

  @BeforeAll
  static void needsChromium() {
    Chromium.require();
  }

  @Test
  void a_post_written_in_the_browser_form_is_shown_and_listed_first() throws Exception {
    ServerConfig config = ServerConfig.defaults().withBinds(List.of(new BindAddress("127.0.0.1", 0)))
        .withWorkers(5).withGracefulTimeout(Duration.ofSeconds(10))
        .with(Settings.ADMIN_BIND, Optional.empty()); // not the default 9191: other servers run
    try (Server server = Server.start(config, () -> new BlogApp(BlogConfig.in(dir.resolve("data"))))) {
      String base = "http://127.0.0.1:" + server.port();
      WebDriver browser = Chromium.start(dir.resolve("chromium-profile"), 1100, 1000);
      try {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        browser.get(base + "/");
        assertThat(browser.getTitle()).isEqualTo("Posts · Narwhal blog");
        assertThat(browser.findElements(By.cssSelector(".post-summary h2"))).hasSize(4);

        browser.findElement(By.linkText("New post")).click();
        wait.until(ExpectedConditions.titleIs("New post · Narwhal blog"));
        browser.findElement(By.id("title")).sendKeys("Written in Chromium");
        browser.findElement(By.id("body")).sendKeys("Typed by Selenium into the form,\n\nsaved by one of five workers.");
        browser.findElement(By.cssSelector("form.post-form button[type=submit]")).click();

        // POST-redirect-GET: the browser lands on the new post's own page
        wait.until(ExpectedConditions.urlMatches("/posts/\\d+$"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Written in Chromium");
        assertThat(browser.findElements(By.cssSelector("article.post p:not(.meta)"))).hasSize(2);

        browser.findElement(By.linkText("Narwhal blog")).click();
        wait.until(ExpectedConditions.titleIs("Posts · Narwhal blog"));
        List<String> titles = browser.findElements(By.cssSelector(".post-summary h2")).stream()
            .map(e -> e.getText()).toList();
        assertThat(titles).hasSize(5).first().isEqualTo("Written in Chromium");

        Files.createDirectories(SCREENSHOT.getParent());
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
        assertThat(SCREENSHOT).isNotEmptyFile();
      } finally {
        browser.quit();
      }
    }
  }
}
