package dev.narwhal.examples;

import dev.narwhal.Request;
import dev.narwhal.Response;
import dev.narwhal.ServerHooks;
import dev.narwhal.WorkerInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every server hook, logging one line when it is called: the hooks tutorial, and the proof that
 * each is called at its moment.
 *
 * <pre>
 * bin/narwhal --hooks dev.narwhal.examples.LoggingHooks -w 2 hello
 * </pre>
 */
public final class LoggingHooks implements ServerHooks {
  private static final Logger log = LoggerFactory.getLogger("hooks");

  @Override
  public void onStarting() {
    log.info("hook onStarting");
  }

  @Override
  public void whenReady() {
    log.info("hook whenReady");
  }

  @Override
  public void onReload() {
    log.info("hook onReload");
  }

  @Override
  public void beforeWorkerStart(WorkerInfo worker) {
    log.info("hook beforeWorkerStart worker={} phase={}", worker.index(), worker.phase());
  }

  @Override
  public void afterWorkerStart(WorkerInfo worker) {
    log.info("hook afterWorkerStart worker={} thread={}", worker.index(), Thread.currentThread().getName());
  }

  @Override
  public void afterWorkerAppInit(WorkerInfo worker) {
    log.info("hook afterWorkerAppInit worker={}", worker.index());
  }

  @Override
  public void beforeRequest(WorkerInfo worker, Request request) {
    log.info("hook beforeRequest worker={} {} {}", worker.index(), request.method(), request.path());
  }

  @Override
  public void afterRequest(WorkerInfo worker, Request request, Response response) {
    log.info("hook afterRequest worker={} {} {} -> {}", worker.index(), request.method(), request.path(),
        response.statusCode());
  }

  @Override
  public void workerInterrupted(WorkerInfo worker) {
    log.info("hook workerInterrupted worker={}", worker.index());
  }

  @Override
  public void workerTimedOut(WorkerInfo worker, Request request, StackTraceElement[] stack) {
    log.info("hook workerTimedOut worker={} {} {} frames={}", worker.index(), request.method(), request.path(),
        stack.length);
  }

  @Override
  public void workerExited(WorkerInfo worker) {
    log.info("hook workerExited worker={} served={}", worker.index(), worker.served());
  }

  @Override
  public void workerCountChanged(int oldCount, int newCount) {
    log.info("hook workerCountChanged {} -> {}", oldCount, newCount);
  }

  @Override
  public void onExit() {
    log.info("hook onExit");
  }
}
