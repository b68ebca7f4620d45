package dev.narwhal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** narwhal config import, and -c gunicorn.conf.py through the whole command up to serving. */
class ConfigImportTest {
  /** The Gunicorn configuration guide's gunicorn.conf.py, verbatim (framework's test fixture). */
  static final Path GUIDE = Path.of("..", "framework", "src", "test", "resources", "gunicorn", "guide.gunicorn.conf.py");

  @TempDir
  Path dir;

  record Result(int status, String out, String err) {}

  static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void config_import_prints_the_guides_file_as_hocon_that_checks_like_conf_narwhal_conf() throws Exception {
    Result r = run("config", "import", GUIDE.toString());
    assertThat(r.status()).isEqualTo(0);
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).startsWith("# Imported from " + GUIDE + " by narwhal config import.\nnarwhal {\n")
        .contains("  workers = auto  # workers, line 10\n", "  keepalive = 5s  # keepalive, line 19\n",
            "  proc-name = django-blog  # proc_name, line 32\n")
        .endsWith("}\n");
    Path imported = Files.writeString(dir.resolve("imported.conf"), r.out());
    Result check = run("-c", imported.toString(), "--print-config");
    Result reference = run("-c", Path.of("..", "conf", "narwhal.conf").toString(), "--print-config");
    assertThat(check.status()).isEqualTo(0);
    assertThat(check.out()).isEqualTo(reference.out());
  }

  @Test
  void the_guides_gunicorn_conf_py_checks_and_prints_as_conf_narwhal_conf_does() {
    Result r = run("-c", GUIDE.toString(), "--check-config", MainTest.HI);
    assertThat(r.status()).as(r.err()).isEqualTo(0);
    assertThat(r.out()).isEqualTo("Configuration OK: " + GUIDE + "\n");
    Result printed = run("-c", GUIDE.toString(), "--print-config");
    Result reference = run("-c", Path.of("..", "conf", "narwhal.conf").toString(), "--print-config");
    assertThat(printed.out()).isEqualTo(reference.out());
  }

  @Test
  void what_is_not_carried_over_goes_to_stderr_and_the_import_still_succeeds() throws Exception {
    Path file = Files.writeString(dir.resolve("gunicorn.conf.py"),
        "workers = 2\nuser = 'nobody'\n\ndef on_exit(server):\n    pass\n");
    Result r = run("config", "import", file.toString());
    assertThat(r.status()).isEqualTo(0);
    assertThat(r.err().lines()).containsExactly(
        "warning: " + file + ":4: server hook on_exit is not carried over (Python is not run): implement "
            + "dev.narwhal.ServerHooks.onExit() and name the class in narwhal.hooks (--hooks)",
        "warning: " + file + ":2: user = 'nobody': Gunicorn setting with no Narwhal equivalent; ignored");
    assertThat(r.out()).contains("  workers = 2  # workers, line 1\n");
    Result check = run("-c", file.toString(), "--check-config");
    assertThat(check.out()).contains("warning: " + file + ":2: user = 'nobody'");
  }

  @Test
  void code_that_needs_python_exits_2_with_file_line_and_reason() throws Exception {
    Path file = Files.writeString(dir.resolve("gunicorn.conf.py"), "import os\nworkers = 2\nfor i in range(3):\n    pass\n");
    Result r = run("config", "import", file.toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("narwhal config: error: " + file + ":3: cannot evaluate 'for i in range ( 3 ) :' "
        + "without running Python (only assignments, imports and def are read)\n");
    Result served = run("-c", file.toString(), "hello");
    assertThat(served.status()).isEqualTo(2);
    assertThat(served.err()).startsWith("narwhal: error: " + file + ":3: cannot evaluate");
  }

  @Test
  void a_value_narwhal_refuses_exits_2_naming_the_python_line() throws Exception {
    Path file = Files.writeString(dir.resolve("gunicorn.conf.py"), "workers = 2\nworker_class = 'gevent'\n");
    Result r = run("config", "import", file.toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("narwhal.worker-class: expected one of: sync");
    Result served = run("-c", file.toString(), "--check-config");
    assertThat(served.status()).isEqualTo(2);
    assertThat(served.err()).startsWith("narwhal: error: " + file + ":2: narwhal.worker-class: expected");
  }

  @Test
  void a_bad_command_line_or_missing_file_exits_2() {
    assertThat(run("config").status()).isEqualTo(2);
    assertThat(run("config", "export", "x.py").status()).isEqualTo(2);
    Result missing = run("config", "import", dir.resolve("nope.py").toString());
    assertThat(missing.status()).isEqualTo(2);
    assertThat(missing.err()).contains("nope.py: config file not found");
    assertThat(run("config", "import", "../conf/narwhal.conf").err()).contains("not a gunicorn.conf.py");
    assertThat(run("config", "--help").out()).startsWith("Usage: narwhal config import FILE");
  }
}
