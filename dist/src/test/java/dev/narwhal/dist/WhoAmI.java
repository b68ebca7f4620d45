package dev.narwhal.dist;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An application compiled by a test and served with --classpath: it answers with what Narwhal
 * made of the request's origin, {@code client=ADDRESS scheme=SCHEME peer=ADDRESS}
 * (Request.clientAddress(), Request.scheme(), Request.remoteAddress()).
 */
final class WhoAmI {
  private WhoAmI() {}

  /** Compiles the class into {@code tmp}/whoami and returns that directory. */
  static Path compile(Path tmp) throws Exception {
    Path src = Files.writeString(tmp.resolve("WhoAmI.java"), """
        public class WhoAmI implements dev.narwhal.Application {
          public dev.narwhal.Response handle(dev.narwhal.Request r) {
            return dev.narwhal.Response.ok("client=" + host(r.clientAddress()) + " scheme=" + r.scheme()
                + " peer=" + host(r.remoteAddress()));
          }

          private static String host(java.util.Optional<java.net.InetSocketAddress> a) {
            return a.map(s -> s.getAddress().getHostAddress()).orElse("-");
          }
        }
        """);
    Path classes = Files.createDirectories(tmp.resolve("whoami"));
    JavaSources.compile(src, classes);
    return classes;
  }
}
