package dev.narwhal.servlet.internal;

import dev.narwhal.Application;
import com.typesafe.config.Config;
import dev.narwhal.config.Setting;
import dev.narwhal.config.SettingsException;
import dev.narwhal.config.WebAppSettings;
import dev.narwhal.config.WebComponent;
import dev.narwhal.servlet.ServletApp;
import dev.narwhal.spi.AppProvider;
import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;
import java.util.EventListener;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code bin/narwhal webapp:} (or {@code app = "webapp:"}): the web app the config file declares
 * under {@code narwhal.webapp}, web.xml's servlets, filters, listeners and context parameters in
 * HOCON. Every class is loaded and checked here, before a worker boots, so a wrong name is a
 * configuration error naming its setting.
 */
public final class WebAppProvider implements AppProvider {
  @Override
  public String prefix() {
    return "webapp";
  }

  @Override
  public Supplier<Application> resolve(String name, ClassLoader loader) {
    throw new IllegalArgumentException("webapp: reads the narwhal.webapp settings; start it with bin/narwhal");
  }

  @Override
  public Supplier<Application> resolve(String name, ClassLoader loader, Config config) {
    if (!name.isBlank()) {
      throw new IllegalArgumentException("webapp: takes no name (the web app is narwhal.webapp); got '" + name + "'");
    }
    List<WebComponent> servlets = WebAppSettings.SERVLETS.read(config);
    if (servlets.isEmpty()) {
      throw new IllegalArgumentException("narwhal.webapp.servlets is empty: declare at least one servlet");
    }
    ServletApp.Builder builder = ServletApp.builder().name("webapp").classLoader(loader);
    try {
      builder.contextPath(WebAppSettings.CONTEXT_PATH.read(config));
    } catch (IllegalArgumentException e) {
      throw SettingsException.at(config, WebAppSettings.CONTEXT_PATH.path(), e.getMessage());
    }
    WebAppSettings.CONTEXT_PARAMS.read(config).forEach(builder::contextParam);
    for (WebComponent s : servlets) {
      Class<? extends Servlet> type = load(config, WebAppSettings.SERVLETS, s.className(), loader, Servlet.class);
      builder.servlet(s.name(), type, patterns(config, WebAppSettings.SERVLETS, s));
      s.initParams().forEach(builder::initParam);
      if (s.loadOnStartup() >= 0) {
        builder.loadOnStartup(s.loadOnStartup());
      }
    }
    for (WebComponent f : WebAppSettings.FILTERS.read(config)) {
      builder.filter(f.name(), load(config, WebAppSettings.FILTERS, f.className(), loader, Filter.class),
          patterns(config, WebAppSettings.FILTERS, f));
      f.initParams().forEach(builder::initParam);
    }
    for (String listener : WebAppSettings.LISTENERS.read(config)) {
      builder.listener(load(config, WebAppSettings.LISTENERS, listener, loader, EventListener.class));
    }
    return builder::build;
  }

  /** The component's URL patterns, each checked here: a malformed one used to fail every worker's boot. */
  private static String[] patterns(Config config, Setting<?> setting, WebComponent c) {
    if (c.mappings().isEmpty()) {
      return new String[] {"/*"};
    }
    for (String pattern : c.mappings()) {
      try {
        UrlMapper.validate(pattern);
      } catch (IllegalArgumentException e) {
        throw SettingsException.at(config, setting.path(), c.name() + ": " + e.getMessage());
      }
    }
    return c.mappings().toArray(String[]::new);
  }

  /** The class, or an error naming the setting and where it was set (the file and line of its list). */
  private static <T> Class<? extends T> load(Config config, Setting<?> setting, String className, ClassLoader loader,
      Class<T> type) {
    try {
      Class<? extends T> loaded = ProviderSupport.load(className, loader, type, "a " + type.getName());
      ProviderSupport.checkConstructor(loaded);
      return loaded;
    } catch (IllegalArgumentException e) {
      throw SettingsException.at(config, setting.path(), e.getMessage());
    }
  }
}
