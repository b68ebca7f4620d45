package dev.narwhal.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README shows compiled code: its snippets are the tagged regions of the examples, verbatim. */
class ReadmeTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  static String region(String file, String tag) throws IOException {
    String source = Files.readString(ROOT.resolve("examples/src/main/java/dev/narwhal/examples/" + file));
    Matcher m = Pattern.compile("// #" + tag + "\n(.*?)// #" + tag + "\n", Pattern.DOTALL).matcher(source);
    assertThat(m.find()).as("tagged region #%s in %s", tag, file).isTrue();
    return m.group(1);
  }

  @Test
  void the_your_own_app_snippet_is_the_greeter_example() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    assertThat(readme).contains("```java\n" + region("GreeterApp.java", "your-app") + "```");
  }

  @Test
  void the_servlet_app_snippet_is_the_hello_web_app_example() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    assertThat(readme).contains("```java\n" + region("servlet/HelloWebApp.java", "servlet-app") + "```");
  }

  @Test
  void the_supervision_snippet_is_the_strict_supervision_example() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    assertThat(readme).contains("```java\n" + region("StrictSupervision.java", "supervision-policy") + "```");
  }

  @Test
  void the_readme_opens_with_the_two_commands() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    int firstBlock = readme.indexOf("```sh\n");
    String commands = readme.substring(firstBlock, readme.indexOf("```\n", firstBlock + 5));
    assertThat(commands).contains("bin/narwhal ").contains("bin/test");
  }
}
