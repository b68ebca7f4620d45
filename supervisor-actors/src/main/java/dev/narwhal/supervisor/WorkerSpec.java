package dev.narwhal.supervisor;

import dev.narwhal.ServerHooks;
import dev.narwhal.spi.SupervisionPolicy;
import dev.narwhal.spi.WorkerExtension;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * What one worker is started with.
 *
 * @param pool the name of the pool it serves, as hooks see it ({@link dev.narwhal.WorkerInfo#pool})
 * @param workerClass how it runs requests
 * @param capacity how many requests it runs at once (1 for sync)
 * @param index its slot
 * @param phase the generation it belongs to (bumped by each reload)
 * @param requestLimit requests before it asks to be recycled; 0 = never
 * @param app where it gets its application instance
 * @param queue the dispatch queue it pulls from
 * @param timeout how long one request may run; zero disables
 * @param bootTimeout how long its application may take to start
 * @param hooks the user's server hooks
 * @param extension builds this worker's extension
 * @param policy decides what a handler's failure does to the worker
 */
public record WorkerSpec(String pool, WorkerClass workerClass, int capacity, int index, int phase, long requestLimit, ApplicationSource app, WorkQueue queue,
    Duration timeout, Duration bootTimeout, ServerHooks hooks, Supplier<? extends WorkerExtension> extension,
    SupervisionPolicy policy) {}
