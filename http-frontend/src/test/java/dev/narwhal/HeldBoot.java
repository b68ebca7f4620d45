package dev.narwhal;

import dev.narwhal.testing.TestServer;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An application whose workers boot at once until {@link #hold}; from then on every worker that
 * starts blocks in onStart until {@link #release}, so a test can watch a worker while it boots.
 * Closing releases, so a failing test does not leave a boot thread parked: list it after the
 * {@link TestServer} in try-with-resources, then it is released before the server stops.
 */
final class HeldBoot implements Application, AutoCloseable {
  private final Handler handler;
  private final CountDownLatch released = new CountDownLatch(1);
  private volatile boolean holding;

  HeldBoot(Handler handler) {
    this.handler = handler;
  }

  /** Workers started from now on stay booting until {@link #release}. */
  void hold() {
    holding = true;
  }

  void release() {
    released.countDown();
  }

  @Override
  public void onStart() throws Exception {
    if (holding && !released.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the test never released the boot");
    }
  }

  @Override
  public Response handle(Request request) throws Exception {
    return handler.handle(request);
  }

  @Override
  public void close() {
    release();
  }
}
