package dev.narwhal.servlet.internal;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.util.List;

/** The filters of one dispatch, in registration order, ending at the servlet. */
final class Chain implements FilterChain {
  private final List<Filter> filters;
  private final Servlet servlet;
  private int next;

  Chain(List<Filter> filters, Servlet servlet) {
    this.filters = filters;
    this.servlet = servlet;
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response) throws IOException, ServletException {
    if (next < filters.size()) {
      filters.get(next++).doFilter(request, response, this);
    } else {
      servlet.service(request, response);
    }
  }
}
