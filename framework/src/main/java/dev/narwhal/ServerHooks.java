package dev.narwhal;

/**
 * Callbacks at gunicorn's server hook points, under Java names. Every method has a no-op default,
 * so implement only what you need; configure the class with {@code --hooks CLASS} (public no-arg
 * constructor) or pass an instance to {@code Server.start}.
 *
 * <p>A hook that throws is logged and otherwise ignored: a hook never takes the server down.
 * Worker-side hooks run on the worker's own thread; the others on Narwhal's threads, so keep them
 * short.
 *
 * <table>
 *   <caption>gunicorn's hooks and their Narwhal names</caption>
 *   <tr><th>gunicorn</th><th>Narwhal</th></tr>
 *   <tr><td>on_starting</td><td>{@link #onStarting()}</td></tr>
 *   <tr><td>when_ready</td><td>{@link #whenReady()}</td></tr>
 *   <tr><td>on_reload</td><td>{@link #onReload()}</td></tr>
 *   <tr><td>pre_fork</td><td>{@link #beforeWorkerStart(WorkerInfo)}</td></tr>
 *   <tr><td>post_fork</td><td>{@link #afterWorkerStart(WorkerInfo)}</td></tr>
 *   <tr><td>post_worker_init</td><td>{@link #afterWorkerAppInit(WorkerInfo)}</td></tr>
 *   <tr><td>pre_request</td><td>{@link #beforeRequest(WorkerInfo, Request)}</td></tr>
 *   <tr><td>post_request</td><td>{@link #afterRequest(WorkerInfo, Request, Response)}</td></tr>
 *   <tr><td>worker_int</td><td>{@link #workerInterrupted(WorkerInfo)}</td></tr>
 *   <tr><td>worker_abort</td><td>{@link #workerTimedOut(WorkerInfo, Request, StackTraceElement[])}</td></tr>
 *   <tr><td>worker_exit, child_exit</td><td>{@link #workerExited(WorkerInfo)}</td></tr>
 *   <tr><td>nworkers_changed</td><td>{@link #workerCountChanged(int, int)}</td></tr>
 *   <tr><td>on_exit</td><td>{@link #onExit()}</td></tr>
 * </table>
 */
public interface ServerHooks {
  /** No hooks. */
  ServerHooks NONE = new ServerHooks() {};

  /** Before anything starts (no worker, no socket yet). */
  default void onStarting() throws Exception {}

  /** Once every worker has booted and every socket is bound. */
  default void whenReady() throws Exception {}

  /** When a reload (SIGHUP) begins, before any new worker is spawned. */
  default void onReload() throws Exception {}

  /** Just before a worker is spawned. */
  default void beforeWorkerStart(WorkerInfo worker) throws Exception {}

  /** On the new worker's thread, before the application instance is built. */
  default void afterWorkerStart(WorkerInfo worker) throws Exception {}

  /** On the worker's thread, after the application's {@code onStart} returned. */
  default void afterWorkerAppInit(WorkerInfo worker) throws Exception {}

  /** On the worker's thread, just before the handler runs. */
  default void beforeRequest(WorkerInfo worker, Request request) throws Exception {}

  /** On the worker's thread, after the handler answered (500 included). */
  default void afterRequest(WorkerInfo worker, Request request, Response response) throws Exception {}

  /** A worker was stopped with a request in hand (quick stop, or the graceful timeout ran out). */
  default void workerInterrupted(WorkerInfo worker) throws Exception {}

  /** A request overran {@code timeout}; {@code stack} is where its thread was stuck. */
  default void workerTimedOut(WorkerInfo worker, Request request, StackTraceElement[] stack) throws Exception {}

  /** A worker has stopped, for whatever reason. */
  default void workerExited(WorkerInfo worker) throws Exception {}

  /** The target number of workers changed (scaling or reload). */
  default void workerCountChanged(int oldCount, int newCount) throws Exception {}

  /** Last thing before the process exits. */
  default void onExit() throws Exception {}
}
