package dev.narwhal.servlet.internal;

import dev.narwhal.Application;
import dev.narwhal.servlet.ServletApp;
import dev.narwhal.spi.AppProvider;
import jakarta.servlet.Servlet;
import java.lang.annotation.Annotation;
import java.util.function.Supplier;

/**
 * {@code bin/narwhal jaxrs:com.example.ShopApplication}: a Jakarta REST application (a
 * {@code jakarta.ws.rs.core.Application}, e.g. a Jersey {@code ResourceConfig}) served by Jersey's
 * own {@code ServletContainer} under its {@code @ApplicationPath} (else {@code /*}). Jersey is
 * loaded reflectively: this module does not depend on it, the app's class path brings it.
 */
public final class JaxrsAppProvider implements AppProvider {
  static final String JERSEY_SERVLET = "org.glassfish.jersey.servlet.ServletContainer";

  @Override
  public String prefix() {
    return "jaxrs";
  }

  @Override
  public Supplier<Application> resolve(String name, ClassLoader loader) {
    Class<?> restApplication;
    try {
      restApplication = Class.forName("jakarta.ws.rs.core.Application", false, loader);
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("jaxrs: needs the Jakarta REST API and Jersey on the class path "
          + "(org.glassfish.jersey.containers:jersey-container-servlet and org.glassfish.jersey.inject:jersey-hk2)");
    }
    Class<?> app = ProviderSupport.load(name, loader, restApplication, "a jakarta.ws.rs.core.Application");
    ServletApp.Builder builder = builder(app, loader);
    return builder::build;
  }

  /**
   * A web app of Jersey's ServletContainer running {@code app} (a jakarta.ws.rs.core.Application),
   * mapped under its {@code @ApplicationPath}.
   *
   * @throws IllegalArgumentException when Jersey's servlet container is not on the class path
   */
  public static ServletApp.Builder builder(Class<?> app, ClassLoader loader) {
    Class<? extends Servlet> container;
    try {
      container = Class.forName(JERSEY_SERVLET, false, loader).asSubclass(Servlet.class);
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("jaxrs: Jersey's servlet container (" + JERSEY_SERVLET + ") is not on "
          + "the class path: add org.glassfish.jersey.containers:jersey-container-servlet and "
          + "org.glassfish.jersey.inject:jersey-hk2 (4.0.x)");
    }
    String pattern = "/*";
    try {
      @SuppressWarnings("unchecked")
      Class<? extends Annotation> pathType =
          (Class<? extends Annotation>) Class.forName("jakarta.ws.rs.ApplicationPath", false, loader);
      Annotation path = app.getAnnotation(pathType);
      if (path != null) {
        pattern = pattern(String.valueOf(pathType.getMethod("value").invoke(path)));
      }
    } catch (ReflectiveOperationException e) {
      // no @ApplicationPath type: serve from the root
    }
    return ServletApp.builder().name(app.getName()).classLoader(loader)
        .servlet("jaxrs", container, pattern)
        .initParam("jakarta.ws.rs.Application", app.getName())
        .loadOnStartup(1);
  }

  /** {@code @ApplicationPath("api")} as a servlet pattern: {@code /api/*}. */
  static String pattern(String applicationPath) {
    String p = applicationPath.strip();
    if (p.endsWith("/*")) {
      p = p.substring(0, p.length() - 2);
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    if (p.isEmpty()) {
      return "/*";
    }
    return (p.startsWith("/") ? p : "/" + p) + "/*";
  }
}
