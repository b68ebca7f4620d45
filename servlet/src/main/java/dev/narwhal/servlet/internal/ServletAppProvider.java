package dev.narwhal.servlet.internal;

import dev.narwhal.Application;
import dev.narwhal.servlet.ServletApp;
import dev.narwhal.spi.AppProvider;
import jakarta.servlet.Servlet;
import jakarta.servlet.annotation.WebInitParam;
import jakarta.servlet.annotation.WebServlet;
import java.util.function.Supplier;

/**
 * {@code bin/narwhal servlet:com.example.HelloServlet}: one servlet as the whole web app, mapped
 * as its {@code @WebServlet} says (with its init parameters), else to {@code /*}.
 */
public final class ServletAppProvider implements AppProvider {
  @Override
  public String prefix() {
    return "servlet";
  }

  @Override
  public Supplier<Application> resolve(String name, ClassLoader loader) {
    Class<? extends Servlet> type = ProviderSupport.load(name, loader, Servlet.class, "a jakarta.servlet.Servlet");
    ProviderSupport.checkConstructor(type);
    ServletApp.Builder builder = ServletApp.builder().name(name).classLoader(loader);
    WebServlet annotation = type.getAnnotation(WebServlet.class);
    String servletName = annotation != null && !annotation.name().isEmpty() ? annotation.name() : type.getSimpleName();
    String[] patterns = annotation == null ? new String[0]
        : annotation.urlPatterns().length > 0 ? annotation.urlPatterns() : annotation.value();
    builder.servlet(servletName, type, patterns.length == 0 ? new String[] {"/*"} : patterns);
    if (annotation != null) {
      for (WebInitParam p : annotation.initParams()) {
        builder.initParam(p.name(), p.value());
      }
    }
    return builder::build;
  }
}
