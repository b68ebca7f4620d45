package dev.narwhal.examples.jaxrs;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.MediaType;
import java.util.Set;

/**
 * {@code hello} as a Jakarta REST resource on Jersey: what bench/servlet-ratio compares with the
 * native {@code hello} and the plain servlet.
 *
 * <pre>
 * bin/narwhal jaxrs:dev.narwhal.examples.jaxrs.HelloApplication
 * </pre>
 */
@ApplicationPath("/")
public class HelloApplication extends Application {
  @Override
  public Set<Class<?>> getClasses() {
    return Set.of(Hello.class);
  }

  /** GET / in plain text. */
  @Path("/")
  public static class Hello {
    @GET
    @Produces(MediaType.TEXT_PLAIN)
    public String hello() {
      return "Hello, World!";
    }
  }
}
