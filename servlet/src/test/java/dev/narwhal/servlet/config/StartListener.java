package dev.narwhal.servlet.config;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

/** Declared in WebAppConfigTest's config text: marks the context as started. */
public class StartListener implements ServletContextListener {
  @Override
  public void contextInitialized(ServletContextEvent event) {
    event.getServletContext().setAttribute("started", "yes");
  }
}
