package dev.narwhal.examples.servlet;

import dev.narwhal.servlet.ServletApp;

/**
 * A web app of a servlet and a filter, given in code (there is no web.xml):
 * {@code bin/narwhal dev.narwhal.examples.servlet.HelloWebApp}.
 */
// #servlet-app
public final class HelloWebApp extends ServletApp {
  public HelloWebApp() {
    super(ServletApp.builder()
        .servlet("hello", HelloServlet.class, "/hello/*").initParam("greeting", "Hi")
        .filter("no-store", NoStoreFilter.class, "/*"));
  }
}
// #servlet-app
