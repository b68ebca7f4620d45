package dev.narwhal.supervisor.internal;

import dev.narwhal.Application;
import dev.narwhal.spi.WorkerExtension;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API. Broadcast messages waiting for a worker's request thread. A message is handed to
 * the extension and the application on a request thread (the threads their code expects), either
 * by a task of its own when the worker is idle or between two requests when it is busy: a busy
 * sync worker's thread keeps pulling requests and would never run a queued task. Each message is
 * polled once, so it is delivered once whichever thread gets there first.
 */
final class Inbox {
  private static final Logger log = LoggerFactory.getLogger("narwhal.error");
  private final Queue<Object> messages = new ConcurrentLinkedQueue<>();

  void add(Object message) {
    messages.add(message);
  }

  /** Delivers every waiting message; a throwing receiver is logged and the next message still goes. */
  void deliver(WorkerExtension extension, Application app) {
    Object message;
    while ((message = messages.poll()) != null) {
      try {
        extension.onMessage(message);
        if (app != null) {
          app.onMessage(message);
        }
      } catch (Exception e) {
        log.warn("Broadcast message {} failed in a worker", message, e);
      }
    }
  }
}
