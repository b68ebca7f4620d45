package dev.narwhal.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Where ParallelFirstTest and ParallelSecondTest meet: each has its own server and waits until the
 * other's serves too, so they pass only when JUnit runs the two classes at the same time
 * (junit-platform.properties); one after the other, the first would time out.
 */
final class ParallelRendezvous {
  private static final CountDownLatch BOTH_UP = new CountDownLatch(2);

  private ParallelRendezvous() {}

  static void meetTheOther(NarwhalServer server) throws Exception {
    assertThat(server.get("/").statusCode()).isEqualTo(200);
    BOTH_UP.countDown();
    assertThat(BOTH_UP.await(90, TimeUnit.SECONDS)).as("the other class's server ran at the same time").isTrue();
    assertThat(server.get("/").statusCode()).isEqualTo(200);
  }
}
