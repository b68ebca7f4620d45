package dev.narwhal.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/** Free loopback ports for what a test binds later, itself or in a process it starts. */
public final class Ports {
  private Ports() {}

  /**
   * A free loopback port below the kernel's ephemeral range. A port taken from a bind to port 0
   * and released is in that range, so until the test binds it again the kernel may hand it to any
   * outgoing connection (a cluster node connecting to another was one) or another test's bind; a
   * port below the range is handed to neither.
   */
  public static int outsideEphemeralRange() throws IOException {
    Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    int low = Files.exists(range) ? Integer.parseInt(Files.readString(range).trim().split("\\s+")[0]) : 32768;
    int from = Math.max(1024, low / 2); // up to the range, above the privileged ports
    int span = low - from;
    if (span <= 0) {
      try (ServerSocket any = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        return any.getLocalPort(); // a range that starts at 1024: none outside it, so take the kernel's
      }
    }
    int first = ThreadLocalRandom.current().nextInt(span);
    for (int i = 0; i < span; i++) {
      int port = from + (first + i) % span;
      try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        return port;
      } catch (IOException taken) {
        // next one
      }
    }
    throw new IOException("no free loopback port from " + from + " to " + low);
  }
}
