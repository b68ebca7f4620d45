package dev.narwhal.examples;

import dev.narwhal.spi.SupervisionPolicy;
import java.time.Duration;
import java.util.Optional;

/**
 * A supervision policy of one's own: run with {@code bin/narwhal --supervision-policy
 * dev.narwhal.examples.StrictSupervision chaos} (then {@code /boom} keeps the worker, as its
 * exception is the request's fault). Out of memory means the process is unhealthy: stop with
 * status 4 so that systemd or Kubernetes starts a fresh JVM. A bad argument or state is the
 * request's fault: keep the worker. Any other exception may have broken the worker's state:
 * replace it, after a second so that a failure on every request cannot spin. Workers that fail
 * more than half of their requests, or live longer than six hours, are recycled successor first.
 */
// #supervision-policy
public final class StrictSupervision implements SupervisionPolicy {

  @Override
  public Decision decide(Failure failure) {
    if (failure instanceof HandlerFailed failed) {
      return switch (failed.cause()) {
        case OutOfMemoryError oom -> SupervisionPolicy.stopServer(4, "out of memory: " + oom.getMessage());
        case IllegalArgumentException bad -> SupervisionPolicy.keep();
        case IllegalStateException bad -> SupervisionPolicy.keep();
        case Exception broken -> SupervisionPolicy.restartAfter(Duration.ofSeconds(1));
        default -> DEFAULT.decide(failure); // other Errors: replace the worker at once
      };
    }
    return DEFAULT.decide(failure); // timeouts and boot failures as built in
  }

  @Override
  public Optional<String> recycle(WorkerFigures worker) {
    if (worker.served() >= 20 && worker.errorRate() > 0.5) {
      return Optional.of("failed " + worker.errors() + " of " + worker.served() + " requests");
    }
    if (worker.age().compareTo(Duration.ofHours(6)) > 0) {
      return Optional.of("is older than six hours");
    }
    return Optional.empty();
  }
}
// #supervision-policy
