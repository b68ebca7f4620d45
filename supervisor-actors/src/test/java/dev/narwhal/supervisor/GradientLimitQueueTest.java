package dev.narwhal.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The limit in front of a simulated pool: random (Poisson) arrivals, {@value #WORKERS} workers
 * whose service time is 10 ms plus a random tail (what {@code /sleep10} measures), requests over
 * the limit shed, 20 simulated seconds of warm-up and 100 measured, one fixed seed. Where
 * {@link GradientLimitTest} checks each rule, this checks what they add up to: the trade between
 * latency under overload and shedding near capacity that the tolerance decides.
 */
class GradientLimitQueueTest {
  private static final int WORKERS = 4;
  private static final long MS = 1_000_000L;
  private static final double MEAN_SERVICE_NANOS = 11.6 * MS;
  /** The p99 of one request's service time alone: 10 ms plus the tail's 99th percentile. */
  private static final double UNLOADED_P99_NANOS = 10 * MS + 1.6 * MS * Math.log(100);

  private record Outcome(double shedShare, double admittedP99Nanos, double goodputShare) {}

  @Test
  void under_four_times_capacity_admitted_requests_keep_their_p99_within_twice_the_unloaded_one() {
    Outcome overload = run(4.0);
    assertThat(overload.admittedP99Nanos()).isLessThanOrEqualTo(2 * UNLOADED_P99_NANOS);
    assertThat(overload.goodputShare()).isGreaterThan(0.95);
  }

  @Test
  void at_four_fifths_of_capacity_almost_nothing_is_shed() {
    assertThat(run(0.8).shedShare()).isLessThan(0.002);
  }

  @Test
  void at_nine_tenths_of_capacity_a_few_percent_at_most_are_shed() {
    // random arrivals queue briefly without any overload; the tolerance is what lets them
    assertThat(run(0.9).shedShare()).isLessThan(0.03);
  }

  private static Outcome run(double load) {
    Random random = new Random(22);
    double capacity = WORKERS / (MEAN_SERVICE_NANOS / 1e9);
    double arrivalsPerNano = load * capacity / 1e9;
    GradientLimit limit = new GradientLimit(20, 4, 1000);
    long warm = 20_000 * MS;
    long end = warm + 100_000 * MS;
    // a running request: {finishes, accepted, started}
    PriorityQueue<long[]> running = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
    ArrayDeque<Long> waiting = new ArrayDeque<>();
    List<Long> latencies = new ArrayList<>();
    long shed = 0;
    long admitted = 0;
    int inFlight = 0;
    long nextArrival = 0;
    long now = 0;
    while (now < end) {
      if (running.isEmpty() || nextArrival <= running.peek()[0]) {
        now = nextArrival;
        nextArrival = now + (long) (-Math.log(1 - random.nextDouble()) / arrivalsPerNano);
        if (inFlight >= limit.limit()) {
          shed += now > warm ? 1 : 0;
          continue;
        }
        inFlight++;
        admitted += now > warm ? 1 : 0;
        if (running.size() < WORKERS) {
          running.add(new long[] {now + service(random), now, now});
        } else {
          waiting.add(now);
        }
      } else {
        long[] done = running.poll();
        now = done[0];
        limit.sample(now, done[2] - done[1], done[0] - done[2], inFlight);
        inFlight--;
        if (done[1] > warm) {
          latencies.add(done[0] - done[1]);
        }
        if (!waiting.isEmpty()) {
          running.add(new long[] {now + service(random), waiting.poll(), now});
        }
      }
    }
    Collections.sort(latencies);
    return new Outcome((double) shed / (shed + admitted), latencies.get((int) (latencies.size() * 0.99)),
        admitted / ((end - warm) / 1e9) / capacity);
  }

  private static long service(Random random) {
    return (long) (10 * MS - Math.log(1 - random.nextDouble()) * 1.6 * MS);
  }
}
