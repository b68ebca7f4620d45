package dev.narwhal.examples.jaxrs;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code /api/report?ms=N}: a report that takes N ms to build, blocking its worker as a slow
 * database query would. Past Narwhal's {@code timeout} the client gets 504 and the error log the
 * stuck thread's stack, down to {@link #build}.
 */
@Path("/report")
public class ReportResource {
  @GET
  @Produces(MediaType.TEXT_PLAIN)
  public String build(@QueryParam("ms") long ms) throws InterruptedException {
    Thread.sleep(Math.max(0, ms));
    return "report ready after " + ms + " ms\n";
  }
}
