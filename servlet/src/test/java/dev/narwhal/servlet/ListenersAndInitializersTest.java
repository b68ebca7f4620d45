package dev.narwhal.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.annotation.HandlesTypes;
import jakarta.servlet.http.HttpServlet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ListenersAndInitializersTest {
  static final List<String> TRACE = new ArrayList<>();
  private final Bridge bridge = new Bridge();

  @org.junit.jupiter.api.BeforeEach
  @AfterEach
  void stop() {
    bridge.close();
    TRACE.clear();
  }

  /** Counts context starts and stops; a class, so each app instance gets its own. */
  public static final class Lifecycle implements ServletContextListener {
    @Override
    public void contextInitialized(ServletContextEvent sce) {
      TRACE.add("initialized " + sce.getServletContext().getInitParameter("region"));
    }

    @Override
    public void contextDestroyed(ServletContextEvent sce) {
      TRACE.add("destroyed");
    }
  }

  public static final class Hello extends HttpServlet {
    @Override
    public void init() {
      TRACE.add("init " + getServletName() + " " + getInitParameter("greeting"));
    }

    @Override
    protected void doGet(jakarta.servlet.http.HttpServletRequest req, jakarta.servlet.http.HttpServletResponse resp)
        throws java.io.IOException {
      resp.getWriter().print(getInitParameter("greeting"));
    }

    @Override
    public void destroy() {
      TRACE.add("destroy " + getServletName());
    }
  }

  @Test
  void listeners_and_servlets_follow_the_app_instance_s_start_and_stop() throws Exception {
    ServletApp app = ServletApp.builder().discoverInitializers(false).contextParam("region", "eu")
        .listener(Lifecycle.class)
        .servlet("hello", Hello.class, "/").initParam("greeting", "hi").build();

    app.onStart();
    assertThat(TRACE).containsExactly("initialized eu", "init hello hi");
    assertThat(Bridge.get(app, "/").bodyAsString()).isEqualTo("hi");

    app.onStop();
    assertThat(TRACE).containsExactly("initialized eu", "init hello hi", "destroy hello", "destroyed");
  }

  @Test
  void each_app_instance_like_each_worker_or_each_reload_starts_its_own_web_app() throws Exception {
    ServletApp.Builder builder = ServletApp.builder().discoverInitializers(false).listener(Lifecycle.class).servlet("hello", Hello.class, "/");
    ServletApp first = bridge.start(builder);
    first.onStop(); // a recycled worker
    bridge.start(builder); // its replacement

    assertThat(TRACE).containsExactly("initialized null", "init hello null", "destroy hello", "destroyed",
        "initialized null", "init hello null");
  }

  /** Registers a servlet in code, as Jersey's and Spring's initializers do. */
  @HandlesTypes(Runnable.class)
  public static final class Registering implements ServletContainerInitializer {
    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext ctx) {
      if (ctx.getInitParameter("run-test-initializer") == null) {
        return; // discovered by every test class's apps: acts only where a test asks
      }
      TRACE.add("onStartup " + classes);
      ServletRegistration.Dynamic r = ctx.addServlet("dynamic", Hello.class);
      r.setInitParameter("greeting", "from an initializer");
      r.addMapping("/dyn/*");
      ctx.addListener(Lifecycle.class);
    }
  }

  public static final class Task implements Runnable {
    @Override
    public void run() {}
  }

  @Test
  void an_initializer_registers_servlets_and_listeners_and_gets_its_handled_types() throws Exception {
    ServletApp app = bridge.start(ServletApp.builder().discoverInitializers(false)
        .contextParam("run-test-initializer", "yes").initializer(new Registering(), Task.class));

    assertThat(TRACE).containsExactly("onStartup [class " + Task.class.getName() + "]", "initialized null",
        "init dynamic from an initializer");
    assertThat(Bridge.get(app, "/dyn/x").bodyAsString()).isEqualTo("from an initializer");
    assertThat(app.servletContext().getServletRegistration("dynamic").getMappings()).containsExactly("/dyn/*");
  }

  @Test
  void initializers_listed_for_service_loader_are_discovered_with_their_handled_types_best_effort() throws Exception {
    // src/test/resources/META-INF/services lists Registering; Task is offered through scan()
    ServletApp app = bridge.start(ServletApp.builder().contextParam("run-test-initializer", "yes").scan(Task.class));

    assertThat(TRACE).first().isEqualTo("onStartup [class " + Task.class.getName() + "]");
    assertThat(Bridge.get(app, "/dyn/").bodyAsString()).isEqualTo("from an initializer");
  }

  @Test
  void registering_after_the_start_fails() throws Exception {
    ServletApp app = bridge.start(ServletApp.builder().discoverInitializers(false));

    assertThatThrownBy(() -> app.servletContext().addServlet("late", Hello.class))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("already started");
  }

  @Test
  void the_context_serves_class_path_resources_mime_types_and_attributes() throws Exception {
    ServletApp app = bridge.start(ServletApp.builder().discoverInitializers(false));
    ServletContext ctx = app.servletContext();

    assertThat(ctx.getResourceAsStream("/static/hello.txt")).asString(java.nio.charset.StandardCharsets.UTF_8)
        .isEqualTo("hello from META-INF/resources\n");
    assertThat(ctx.getResource("/logback-test.xml")).isNotNull();
    assertThat(ctx.getResource("/absent.txt")).isNull();
    assertThat(ctx.getMimeType("a/b/site.css")).isEqualTo("text/css");
    assertThat(ctx.getMimeType("data.json")).isEqualTo("application/json");
    ctx.setAttribute("cache", "warm");
    assertThat(ctx.getAttribute("cache")).isEqualTo("warm");
    assertThat(ctx.getMajorVersion() + "." + ctx.getMinorVersion()).isEqualTo("6.1");
  }

  @Test
  void each_web_app_has_its_own_temporary_directory_from_start_to_stop() throws Exception {
    java.io.File[] seen = new java.io.File[1];
    ServletApp app = bridge.start(ServletApp.builder().discoverInitializers(false).servlet("t", Bridge.servlet((req, resp) -> {
      seen[0] = (java.io.File) req.getServletContext().getAttribute(ServletContext.TEMPDIR);
      java.nio.file.Files.writeString(seen[0].toPath().resolve("upload.part"), "x");
      resp.getWriter().print("ok");
    }), "/*"));

    assertThat(Bridge.get(app, "/").bodyAsString()).isEqualTo("ok");
    assertThat(seen[0]).isDirectory();
    app.onStop();
    assertThat(seen[0]).doesNotExist();
  }
}
