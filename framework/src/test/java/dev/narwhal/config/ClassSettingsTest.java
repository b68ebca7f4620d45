package dev.narwhal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.narwhal.ServerHooks;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The classes settings name (hooks, supervision policy, worker extension): looked up, then built. */
class ClassSettingsTest {
  static final AtomicInteger BUILT = new AtomicInteger();

  public static final class CountedHooks implements ServerHooks {
    public CountedHooks() {
      BUILT.incrementAndGet();
    }
  }

  public static final class FailingHooks implements ServerHooks {
    public FailingHooks() {
      throw new IllegalStateException("no database");
    }
  }

  private static ServerConfig config(String settings) {
    return ServerConfig.parse("narwhal {\n  " + settings + "\n}\n");
  }

  @Test
  void checking_the_classes_builds_none_of_them() {
    BUILT.set(0);
    AppResolver.checkClasses(config("hooks = \"" + CountedHooks.class.getName() + "\""));

    assertThat(BUILT).hasValue(0);
    assertThat(AppResolver.hooks(config("hooks = \"" + CountedHooks.class.getName() + "\""))).isInstanceOf(CountedHooks.class);
    assertThat(BUILT).hasValue(1);
  }

  @Test
  void hooks_whose_constructor_throws_are_a_settings_error_naming_the_line() {
    assertThatThrownBy(() -> AppResolver.hooks(config("hooks = \"" + FailingHooks.class.getName() + "\"")))
        .isInstanceOf(SettingsException.class)
        .hasMessageStartingWith("config text: 2: narwhal.hooks: " + FailingHooks.class.getName() + " constructor failed");
  }

  @Test
  void a_pools_classes_are_checked_and_named_by_the_pools_own_key() {
    assertThatThrownBy(() -> AppResolver.checkClasses(config(
        "pools {\n    reports {\n      routes = [\"/r\"]\n      worker-class = com.example.Nope\n    }\n  }")))
        .hasMessageStartingWith("config text: 5: narwhal.pools.reports.worker-class 'com.example.Nope': no such class");
  }

  public static final class PlainApp implements dev.narwhal.Application {
    @Override
    public dev.narwhal.Response handle(dev.narwhal.Request request) {
      return dev.narwhal.Response.ok("plain");
    }
  }

  @Test
  void async_workers_with_a_plain_application_are_a_settings_error_naming_worker_class() {
    assertThatThrownBy(() -> AppResolver.resolve(PlainApp.class.getName(), config("worker-class = async")))
        .isInstanceOf(SettingsException.class)
        .hasMessageStartingWith("config text: 2: narwhal.worker-class: async runs dev.narwhal.AsyncApplication apps, and "
            + PlainApp.class.getName() + " is not one");
    assertThat(AppResolver.resolve(PlainApp.class.getName(), config("worker-class = gthread"))).isNotNull();
  }

  @Test
  void an_app_whose_dependency_is_missing_is_a_settings_error_naming_it_not_a_stack_trace(@TempDir Path dir)
      throws Exception {
    // the app's constructors name a class its own build had, that the server's classpath lacks
    Path missing = Files.createDirectories(dir.resolve("missing"));
    Path app = Files.createDirectories(dir.resolve("app"));
    compile(missing, null, "lib/Store.java", "package lib; public class Store {}");
    compile(app, missing, "shop/ShopApp.java", """
        package shop;
        public class ShopApp implements dev.narwhal.Application {
          public ShopApp() {}
          public ShopApp(lib.Store store) {}
          public dev.narwhal.Response handle(dev.narwhal.Request r) { return dev.narwhal.Response.ok("x"); }
        }
        """);

    assertThatThrownBy(() -> AppResolver.resolve("shop.ShopApp", List.of(app)))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("shop.ShopApp needs lib.Store, which is not on the classpath");
  }

  private static void compile(Path out, Path classpath, String file, String source) throws Exception {
    Path java = out.resolve(file);
    Files.createDirectories(java.getParent());
    Files.writeString(java, source);
    String cp = System.getProperty("java.class.path") + (classpath == null ? "" : File.pathSeparator + classpath);
    int status = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", out.toString(), "-cp", cp,
        java.toString());
    assertThat(status).isZero();
  }
}
