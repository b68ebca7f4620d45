package dev.narwhal.servlet.config;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Declared in WebAppConfigTest's config text: shows its init and context parameters. */
public class GreetingServlet extends HttpServlet {
  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    resp.getWriter().print(getInitParameter("greeting") + " from " + getServletContext().getInitParameter("region")
        + " at " + req.getContextPath() + "|" + req.getServletPath() + "|" + req.getPathInfo()
        + " started=" + getServletContext().getAttribute("started"));
  }
}
