package dev.narwhal.http.internal;

import dev.narwhal.LogCounts;
import dev.narwhal.config.BindAddress;
import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Settings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API. Gunicorn's statsd metrics ({@code statsd-host}): once per {@link #INTERVAL} a
 * daemon thread takes what {@link StatsdRecorder} collected on the request path, adds the
 * {@code gunicorn.workers} gauge (every pool's live workers; with named pools also one
 * {@code narwhal.pool.NAME.workers} gauge per pool, the default pool's included, since Gunicorn's
 * one gauge cannot tell them apart; the recorder adds each pool's {@code narwhal.pool.NAME.requests}
 * counter) and the {@code gunicorn.log.*} counters ({@link LogCounts}
 * since the last flush), and sends them to the statsd server in
 * datagrams of newline-separated lines, as statsd and DogStatsD accept them.
 *
 * <p>Names are Gunicorn's, after {@code statsd-prefix} joined with one dot; {@code dogstatsd-tags}
 * are appended as {@code |#tags}. The channel is non-blocking and unconnected: a datagram the
 * socket has no room for is dropped and counted, and an absent statsd server costs nothing (UDP
 * never waits for it, as in Gunicorn). No request ever waits for any of this.
 */
public final class Statsd implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger("narwhal");
  static final Duration INTERVAL = Duration.ofSeconds(1);
  /** Stays under a 1500-byte Ethernet MTU with IP and UDP headers: a datagram is never fragmented. */
  static final int MAX_DATAGRAM = 1432;

  private final StatsdRecorder recorder = new StatsdRecorder();
  private final DatagramChannel channel;
  private final InetSocketAddress target;
  private final String prefix;
  private final String tags;
  private final Supplier<Map<String, Integer>> workers;
  private final Map<LogCounts.Kind, Long> logsSent = new EnumMap<>(LogCounts.Kind.class);
  private final ScheduledExecutorService sender;

  private Statsd(DatagramChannel channel, InetSocketAddress target, String prefix, String tags,
      Supplier<Map<String, Integer>> workers) {
    this.channel = channel;
    this.target = target;
    this.prefix = prefix;
    this.tags = tags;
    this.workers = workers;
    for (LogCounts.Kind kind : LogCounts.Kind.values()) {
      logsSent.put(kind, LogCounts.total(kind)); // counts from before this server are not its own
    }
    sender = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "narwhal-statsd");
      t.setDaemon(true);
      return t;
    });
    sender.scheduleWithFixedDelay(this::flushQuietly, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Starts sending when {@code statsd-host} is set; {@code workers} counts each pool's live workers. */
  public static Optional<Statsd> start(ServerConfig config, Supplier<Map<String, Integer>> workers) {
    Optional<BindAddress> host = config.get(Settings.STATSD_HOST);
    if (host.isEmpty()) {
      return Optional.empty();
    }
    InetSocketAddress target = new InetSocketAddress(host.get().host(), host.get().port());
    if (target.isUnresolved()) {
      log.warn("statsd-host {}: cannot resolve the host; no statsd metrics are sent", host.get());
      return Optional.empty();
    }
    try {
      DatagramChannel channel = DatagramChannel.open();
      channel.configureBlocking(false);
      return Optional.of(new Statsd(channel, target, prefix(config.get(Settings.STATSD_PREFIX)),
          config.get(Settings.DOGSTATSD_TAGS).strip(), workers));
    } catch (IOException e) {
      log.warn("statsd-host {}: cannot open a UDP socket ({}); no statsd metrics are sent", host.get(), e.getMessage());
      return Optional.empty();
    }
  }

  /** Gunicorn's joining: a non-empty prefix ends in exactly one dot. */
  static String prefix(String configured) {
    String stripped = configured.strip().replaceAll("\\.+$", "");
    return stripped.isEmpty() ? "" : stripped + ".";
  }

  /** Where {@link Traffic} records requests. */
  public StatsdRecorder recorder() {
    return recorder;
  }

  private void flushQuietly() {
    flushQuietly(true);
  }

  private void flushQuietly(boolean withWorkers) {
    try {
      flush(withWorkers);
    } catch (RuntimeException e) {
      log.debug("statsd flush failed", e); // the next tick tries again; never kill the scheduler
    }
  }

  /** Sends everything recorded since the last flush, and the worker gauge if {@code withWorkers}. */
  void flush(boolean withWorkers) {
    List<String> lines = new ArrayList<>(recorder.drain());
    try {
      if (withWorkers) {
        Map<String, Integer> byPool = workers.get();
        lines.add("gunicorn.workers:" + byPool.values().stream().mapToInt(Integer::intValue).sum() + "|g");
        if (byPool.size() > 1) {
          byPool.forEach((pool, n) -> lines.add(StatsdRecorder.poolMetric(pool, "workers") + ":" + n + "|g"));
        }
      }
    } catch (RuntimeException statsUnavailable) {
      // the arbiter did not answer in time (or is gone): no gauge this tick
    }
    for (LogCounts.Kind kind : LogCounts.Kind.values()) {
      long total = LogCounts.total(kind);
      long delta = total - logsSent.put(kind, total);
      if (delta > 0) {
        lines.add(kind.metric() + ":" + delta + "|c");
      }
    }
    StringBuilder packet = new StringBuilder();
    for (String line : lines) {
      String full = prefix + line + (tags.isEmpty() ? "" : "|#" + tags);
      if (packet.length() > 0 && packet.length() + 1 + full.length() > MAX_DATAGRAM) {
        send(packet);
        packet.setLength(0);
      }
      packet.append(packet.length() > 0 ? "\n" : "").append(full);
    }
    if (packet.length() > 0) {
      send(packet);
    }
  }

  private void send(CharSequence packet) {
    try {
      if (channel.send(ByteBuffer.wrap(packet.toString().getBytes(StandardCharsets.UTF_8)), target) == 0) {
        recorder.droppedPacket();
      }
    } catch (IOException e) {
      recorder.droppedPacket();
    }
  }

  /** Sends what is left, then stops the thread and closes the socket. */
  @Override
  public void close() {
    sender.shutdown();
    try {
      sender.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    flushQuietly(false); // the arbiter is gone by now: asking it for workers would only time out
    try {
      channel.close();
    } catch (IOException ignored) {
      // nothing left to send
    }
  }
}
