package dev.narwhal.config;

import java.util.List;
import java.util.Map;

/**
 * The web app {@code APP webapp:} runs through the servlet bridge ({@code narwhal-servlet}),
 * declared in the config file the way web.xml declares one. Part of the registry
 * ({@link Settings#ALL}); kept here so the registry's table stays one concern per file.
 *
 * <pre>
 * narwhal {
 *   app = "webapp:"
 *   webapp {
 *     context-path = "/shop"
 *     context-params { region = eu }
 *     servlets = [ { name = api, class = com.example.ApiServlet, mappings = ["/api/*"],
 *                    init-params { mode = fast }, load-on-startup = 1 } ]
 *     filters = [ { name = auth, class = com.example.AuthFilter, mappings = ["/api/*"] } ]
 *     listeners = [ com.example.StartupListener ]
 *   }
 * }
 * </pre>
 */
public final class WebAppSettings {
  public static final Setting<String> CONTEXT_PATH = new Setting<>(
      "webapp.context-path", Section.WEBAPP, List.of(), "PATH",
      Setting.CliKind.VALUE, ValueReader.text(),
      "The context path of the web app APP webapp: runs (the servlet bridge, narwhal-servlet): "
          + "empty for the root, or a path such as /shop.");

  public static final Setting<Map<String, String>> CONTEXT_PARAMS = new Setting<>(
      "webapp.context-params", Section.WEBAPP, List.of(), "KEY=VALUE",
      Setting.CliKind.VALUE, ValueReader.keyValues(),
      "The web app's context parameters (ServletContext.getInitParameter), as an object of "
          + "strings: context-params { region = eu }.");

  public static final Setting<List<WebComponent>> SERVLETS = new Setting<>(
      "webapp.servlets", Section.WEBAPP, List.of(), "LIST",
      Setting.CliKind.VALUE, WebComponent.reader(),
      "The web app's servlets, as web.xml's servlet and servlet-mapping: a list of { name, class, "
          + "mappings = [url patterns], init-params { }, load-on-startup }. Patterns follow the "
          + "Servlet spec: exact, /prefix/*, *.ext, / (default).");

  public static final Setting<List<WebComponent>> FILTERS = new Setting<>(
      "webapp.filters", Section.WEBAPP, List.of(), "LIST",
      Setting.CliKind.VALUE, WebComponent.reader(),
      "The web app's filters, in chain order: a list of { name, class, mappings = [url patterns], "
          + "init-params { } }.");

  public static final Setting<List<String>> LISTENERS = new Setting<>(
      "webapp.listeners", Section.WEBAPP, List.of(), "CLASSES",
      Setting.CliKind.VALUE, ValueReader.nameList(),
      "The web app's listener classes (ServletContextListener and the other servlet listeners), "
          + "each with a public no-argument constructor.");

  static final List<Setting<?>> ALL = List.of(CONTEXT_PATH, CONTEXT_PARAMS, SERVLETS, FILTERS, LISTENERS);

  private WebAppSettings() {}
}
