package dev.narwhal.supervisor.internal;

import dev.narwhal.ServerHooks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API. Calls the user's {@link ServerHooks}, so that a hook that throws is logged and
 * never takes a worker or the server down (gunicorn does the same around its hooks).
 */
public final class HookInvoker {
  private static final Logger log = LoggerFactory.getLogger("narwhal.hooks");

  /** One hook call. */
  @FunctionalInterface
  public interface Call {
    void on(ServerHooks hooks) throws Exception;
  }

  private final ServerHooks hooks;

  public HookInvoker(ServerHooks hooks) {
    this.hooks = hooks;
  }

  public static HookInvoker none() {
    return new HookInvoker(ServerHooks.NONE);
  }

  /** Runs one hook, logging (not propagating) whatever it throws. */
  public void call(String name, Call call) {
    if (hooks == ServerHooks.NONE) {
      return;
    }
    try {
      call.on(hooks);
    } catch (Throwable t) {
      log.error("Hook {} failed; continuing", name, t);
    }
  }
}
