package dev.narwhal.examples.spring;

import dev.narwhal.servlet.ServletApp;
import org.springframework.web.context.support.AnnotationConfigWebApplicationContext;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * A Spring MVC 7 app (no Spring Boot) through Spring's own {@code DispatcherServlet}, configured
 * with init parameters as a web.xml would: {@code bin/narwhal dev.narwhal.examples.spring.SpringApp}.
 * Each worker starts its own Spring context, and closes it when the worker stops.
 */
public final class SpringApp extends ServletApp {
  public SpringApp() {
    super(ServletApp.builder().name("spring-example")
        .servlet("dispatcher", DispatcherServlet.class, "/")
        .initParam("contextClass", AnnotationConfigWebApplicationContext.class.getName())
        .initParam("contextConfigLocation", WebConfig.class.getName())
        .loadOnStartup(1));
  }
}
