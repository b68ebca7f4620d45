package dev.narwhal.examples.servlet;

import jakarta.servlet.annotation.WebInitParam;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;

/**
 * A plain Jakarta servlet, unchanged from what a servlet container would run, with a session:
 *
 * <pre>
 * bin/narwhal servlet:dev.narwhal.examples.servlet.HelloServlet
 * curl localhost:8000/hello/Ann
 * </pre>
 */
@WebServlet(urlPatterns = "/hello/*", initParams = @WebInitParam(name = "greeting", value = "Hello"))
public class HelloServlet extends HttpServlet {
  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String name = req.getPathInfo() == null || req.getPathInfo().length() < 2 ? "World" : req.getPathInfo().substring(1);
    HttpSession session = req.getSession();
    Integer visits = (Integer) session.getAttribute("visits");
    visits = visits == null ? 1 : visits + 1;
    session.setAttribute("visits", visits);
    resp.setContentType("text/plain");
    resp.setCharacterEncoding("UTF-8");
    resp.getWriter().printf("%s, %s! (visit %d)%n", getInitParameter("greeting"), name, visits);
  }
}
