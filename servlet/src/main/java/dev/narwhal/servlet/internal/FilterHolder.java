package dev.narwhal.servlet.internal;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;

/** A filter of the web app: its registration, its mappings, and the instance once initialised. */
final class FilterHolder extends Holder<Filter> implements FilterRegistration.Dynamic, FilterConfig {
  /** One mapping: URL patterns or servlet names, for some dispatcher types. */
  record Mapping(List<String> urlPatterns, List<String> servletNames, EnumSet<DispatcherType> types) {}

  private final List<Mapping> mappings = new ArrayList<>();

  FilterHolder(WebApp app, String name, Class<? extends Filter> type, Filter instance) {
    super(app, name, type, instance);
  }

  @Override
  void init(Filter component) throws ServletException {
    component.init(this);
  }

  @Override
  void release(Filter component) {
    component.destroy();
  }

  @Override
  String kind() {
    return "filter";
  }

  /** Whether this filter runs for a dispatch of {@code type} to {@code path} served by {@code servletName}. */
  synchronized boolean applies(DispatcherType type, String path, String servletName) {
    for (Mapping m : mappings) {
      if (!m.types().contains(type)) {
        continue;
      }
      for (String pattern : m.urlPatterns()) {
        if (UrlMapper.filterMatches(pattern, path)) {
          return true;
        }
      }
      for (String servlet : m.servletNames()) {
        if (servlet.equals("*") || servlet.equals(servletName)) {
          return true;
        }
      }
    }
    return false;
  }

  private static EnumSet<DispatcherType> typesOrRequest(EnumSet<DispatcherType> types) {
    return types == null || types.isEmpty() ? EnumSet.of(DispatcherType.REQUEST) : EnumSet.copyOf(types);
  }

  @Override
  public synchronized void addMappingForServletNames(EnumSet<DispatcherType> types, boolean isMatchAfter,
      String... servletNames) {
    app.checkNotStarted("addMappingForServletNames");
    mappings.add(new Mapping(List.of(), List.of(servletNames), typesOrRequest(types)));
  }

  @Override
  public synchronized Collection<String> getServletNameMappings() {
    return mappings.stream().flatMap(m -> m.servletNames().stream()).toList();
  }

  @Override
  public synchronized void addMappingForUrlPatterns(EnumSet<DispatcherType> types, boolean isMatchAfter,
      String... urlPatterns) {
    app.checkNotStarted("addMappingForUrlPatterns");
    for (String p : urlPatterns) {
      UrlMapper.validate(p);
    }
    mappings.add(new Mapping(List.of(urlPatterns), List.of(), typesOrRequest(types)));
  }

  @Override
  public synchronized Collection<String> getUrlPatternMappings() {
    return mappings.stream().flatMap(m -> m.urlPatterns().stream()).toList();
  }

  @Override
  public String getFilterName() {
    return name;
  }

  @Override
  public ServletContext getServletContext() {
    return app.context();
  }
}
