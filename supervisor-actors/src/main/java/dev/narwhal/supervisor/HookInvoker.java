package dev.narwhal.supervisor;

import dev.narwhal.ServerHooks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls the user's {@link ServerHooks}, so that a hook that throws is logged (logger
 * {@code narwhal.hooks}) and never takes a worker or the server down, as gunicorn does around its
 * hooks. Every hook goes through one of these: the workers' and the arbiter's, and the server's own
 * ({@code onStarting}, {@code whenReady}, {@code onExit}).
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
