package dev.narwhal.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The settings registry: every setting Narwhal has, in the order {@code --help} and
 * {@code docs/settings.md} list them. Nothing else lives here.
 *
 * <p>Defaults live in {@code reference.conf} (under {@code narwhal}), as Pekko users expect; a test
 * fails when it and this registry disagree in either direction.
 */
public final class Settings {
  /** The HOCON root key. */
  public static final String ROOT = "narwhal";

  public static final Setting<List<BindAddress>> BIND = new Setting<>(
      "bind", Section.SERVER_SOCKET, List.of("-b", "--bind"), "ADDRESS",
      Setting.CliKind.REPEATABLE,
      ValueReader.listOf("HOST:PORT, [IPv6]:PORT or HOST", BindAddress::parse),
      "The socket to bind. Repeat the flag (or give a list in the file) to listen on several "
          + "addresses. HOST:PORT, [IPv6]:PORT, or HOST alone for port 8000; port 0 picks a free port.");

  public static final Setting<Integer> BACKLOG = new Setting<>(
      "backlog", Section.SERVER_SOCKET, List.of("--backlog"), "INT",
      Setting.CliKind.VALUE, ValueReader.integer(1),
      "The maximum number of requests waiting for a free worker. When every worker is busy, "
          + "requests queue up to this many; beyond it clients get 503 with Retry-After at once. "
          + "It is also the listen queue of each socket.");

  public static final Setting<String> CONCURRENCY_LIMIT = new Setting<>(
      "concurrency-limit", Section.SERVER_SOCKET, List.of("--concurrency-limit"), "off|auto|INT",
      Setting.CliKind.VALUE, ValueReader.scalar("off, auto, or a whole number >= 1", text -> {
        String value = text.toLowerCase(java.util.Locale.ROOT);
        if (value.equals("off") || value.equals("false") || value.equals("auto")) {
          return value.equals("auto") ? "auto" : "off";
        }
        if (Integer.parseInt(value) < 1) {
          throw new IllegalArgumentException();
        }
        return Integer.toString(Integer.parseInt(value));
      }),
      "How many requests may be in flight at once, running plus waiting; beyond it a request is "
          + "refused at once with 503 and Retry-After: 1 instead of waiting (counted as shed, reason "
          + "concurrency_limit). off: only backlog bounds the queue. A number: a fixed limit. auto: "
          + "an adaptive limit that grows while requests do not wait and shrinks when they wait more "
          + "than half their service time (see docs/admission.md), within concurrency-limit-min and "
          + "-max. backlog still applies. A restart is needed to change it.");

  public static final Setting<Integer> CONCURRENCY_LIMIT_INITIAL = new Setting<>(
      "concurrency-limit-initial", Section.SERVER_SOCKET, List.of("--concurrency-limit-initial"), "INT",
      Setting.CliKind.VALUE, ValueReader.integer(1),
      "With concurrency-limit = auto: the limit at start, before any latency is measured. It must lie "
          + "within concurrency-limit-min and -max.");

  public static final Setting<Integer> CONCURRENCY_LIMIT_MIN = new Setting<>(
      "concurrency-limit-min", Section.SERVER_SOCKET, List.of("--concurrency-limit-min"), "INT",
      Setting.CliKind.VALUE, ValueReader.integer(1),
      "With concurrency-limit = auto: the limit never goes below this, however long requests wait. "
          + "Set it near the pool's capacity (workers x threads) to never shed while a worker could run.");

  public static final Setting<Integer> CONCURRENCY_LIMIT_MAX = new Setting<>(
      "concurrency-limit-max", Section.SERVER_SOCKET, List.of("--concurrency-limit-max"), "INT",
      Setting.CliKind.VALUE, ValueReader.integer(1),
      "With concurrency-limit = auto: the limit never goes above this, however fast requests are "
          + "served.");

  public static final Setting<Integer> WORKERS = new Setting<>(
      "workers", Section.WORKER_PROCESSES, List.of("-w", "--workers"), "INT",
      Setting.CliKind.VALUE, ValueReader.workerCount(),
      "The number of worker actors handling requests. 'auto' means 2 x cores + 1, gunicorn's "
          + "suggested formula. The environment variable WEB_CONCURRENCY sets the default, as in "
          + "gunicorn.");

  public static final Setting<Duration> GRACEFUL_TIMEOUT = new Setting<>(
      "graceful-timeout", Section.WORKER_PROCESSES, List.of("--graceful-timeout"), "DURATION",
      Setting.CliKind.VALUE, ValueReader.duration(),
      "How long a graceful stop waits for accepted requests to finish. After it, whatever is still "
          + "running is answered 503 and the server exits. Make it longer than your slowest request.");

  public static final Setting<Duration> SHUTDOWN_DELAY = new Setting<>(
      "shutdown-delay", Section.WORKER_PROCESSES, List.of("--shutdown-delay"), "DURATION",
      Setting.CliKind.VALUE, ValueReader.durationOrOff(),
      "How long a graceful stop (SIGTERM) keeps serving normally with /health/ready answering 503 "
          + "before it stops accepting: the time a load balancer or Kubernetes needs to see the "
          + "readiness change and stop sending new requests. Then the graceful stop runs as usual. "
          + "A quick stop (SIGINT, also during a graceful stop) skips what is left of it. 0 or off: stop at once.");

  public static final Setting<String> WORKER_CLASS = new Setting<>(
      "worker-class", Section.WORKER_PROCESSES, List.of("-k", "--worker-class"), "STRING",
      Setting.CliKind.VALUE, ValueReader.workerClass("sync", "gthread", "virtual", "async"),
      "How workers run requests. sync: one at a time per worker on its own thread (gunicorn's "
          + "default). gthread: up to 'threads' at a time on a thread pool per worker. virtual: each "
          + "request on a virtual thread, up to 'worker-connections' per worker. async: for "
          + "AsyncApplication apps, up to 'worker-connections' in flight per worker with no thread held. "
          + "Or the class name of a dev.narwhal.spi.WorkerExtension, your own worker behaviour.");

  public static final Setting<Integer> THREADS = new Setting<>(
      "threads", Section.WORKER_PROCESSES, List.of("--threads"), "INT",
      Setting.CliKind.VALUE, ValueReader.integer(1),
      "Threads per worker for the gthread worker class. As in gunicorn, sync with more than one "
          + "thread runs as gthread.");

  public static final Setting<Integer> WORKER_CONNECTIONS = new Setting<>(
      "worker-connections", Section.WORKER_PROCESSES, List.of("--worker-connections"), "INT",
      Setting.CliKind.VALUE, ValueReader.integer(1),
      "The most requests one virtual or async worker runs at once.");

  public static final Setting<Integer> MAX_REQUESTS = new Setting<>(
      "max-requests", Section.WORKER_PROCESSES, List.of("--max-requests"), "INT",
      Setting.CliKind.VALUE, ValueReader.integer(0),
      "Requests a worker serves before it is recycled; 0 disables recycling. A simple guard against "
          + "memory leaks in the application. The replacement boots before the old worker retires, "
          + "so recycling never reduces capacity.");

  public static final Setting<Integer> MAX_REQUESTS_JITTER = new Setting<>(
      "max-requests-jitter", Section.WORKER_PROCESSES, List.of("--max-requests-jitter"), "INT",
      Setting.CliKind.VALUE, ValueReader.integer(0),
      "A random 0..N added to max-requests, drawn once per worker. It spreads recycling out so "
          + "that workers started together do not all restart together.");

  public static final Setting<Duration> MAX_WORKER_LIFETIME = new Setting<>(
      "max-worker-lifetime", Section.WORKER_PROCESSES, List.of("--max-worker-lifetime"), "DURATION",
      Setting.CliKind.VALUE, ValueReader.durationOrOff(),
      "How long a worker lives before it is recycled, the same way as at max-requests: its "
          + "successor boots first. A guard against slow leaks in apps that see little traffic. "
          + "0 or off: never.");

  public static final Setting<Duration> MAX_WORKER_LIFETIME_JITTER = new Setting<>(
      "max-worker-lifetime-jitter", Section.WORKER_PROCESSES, List.of("--max-worker-lifetime-jitter"), "DURATION",
      Setting.CliKind.VALUE, ValueReader.durationOrOff(),
      "A random 0..this added to max-worker-lifetime, drawn once per worker, so that workers "
          + "started together do not all recycle together.");

  public static final Setting<Double> HEAP_RECYCLE_THRESHOLD = new Setting<>(
      "heap-recycle-threshold", Section.WORKER_PROCESSES, List.of("--heap-recycle-threshold"), "SHARE",
      Setting.CliKind.VALUE, ValueReader.shareOrOff(),
      "Recycle workers when the old generation, measured after each garbage collection, stays above "
          + "this share of the maximum heap (0.8 or 80%) for heap-recycle-collections collections in "
          + "a row: one worker at a time, oldest first, successor first, for applications that keep "
          + "per-worker state. With preload-app it only warns (recycling frees nothing). 0 or off: never.");

  public static final Setting<Integer> HEAP_RECYCLE_COLLECTIONS = new Setting<>(
      "heap-recycle-collections", Section.WORKER_PROCESSES, List.of("--heap-recycle-collections"), "INT",
      Setting.CliKind.VALUE, ValueReader.integer(1),
      "How many collections in a row must leave the old generation above heap-recycle-threshold "
          + "before a worker is recycled; after a recycle the next waits until the old generation has come down "
          + "(and at least as many collections have passed), or ten times as many collections.");

  public static final Setting<Duration> TIMEOUT = new Setting<>(
      "timeout", Section.WORKER_PROCESSES, List.of("-t", "--timeout"), "DURATION",
      Setting.CliKind.VALUE, ValueReader.durationOrOff(),
      "A request running longer than this answers 504 and its worker is replaced. The error log "
          + "gets a WORKER TIMEOUT line with the stack of the stuck thread; the thread is interrupted "
          + "and, if it never returns, abandoned and counted. 0 or off disables.");

  public static final Setting<Integer> MAX_STUCK_THREADS = new Setting<>(
      "max-stuck-threads", Section.WORKER_PROCESSES, List.of("--max-stuck-threads"), "INT",
      Setting.CliKind.VALUE, ValueReader.integer(0),
      "How many threads may be stuck at once in timed-out requests or boots (code that ignored "
          + "its interrupt and has not returned; one that returns stops counting). Above this many, "
          + "/health/live answers 503 and the error log says why, once, so the process supervisor "
          + "(systemd, a Kubernetes liveness probe) restarts the server: a thread cannot be killed, "
          + "and each stuck one keeps its stack and whatever the handler held. 0 disables.");

  public static final Setting<Duration> BOOT_TIMEOUT = new Setting<>(
      "boot-timeout", Section.WORKER_PROCESSES, List.of("--boot-timeout"), "DURATION",
      Setting.CliKind.VALUE, ValueReader.duration(),
      "How long a worker's application may take to start (its onStart). A worker that overruns is "
          + "stopped and retried with backoff; after 5 failed boots in a row the server exits with "
          + "status 3.");

  public static final Setting<List<NamedPool>> POOLS = new Setting<>(
      "pools", Section.WORKER_PROCESSES, List.of(), "OBJECT",
      Setting.CliKind.VALUE, NamedPool.reader(),
      "Worker pools besides the default one, each with its own workers and routes, so that slow "
          + "routes cannot starve fast ones: pools { reports { workers = 2, timeout = 60s, routes = "
          + "[\"/reports\", \"POST /exports\", \"header:X-Heavy=1\"] } }. A pool may set workers, "
          + "worker-class, threads, worker-connections, timeout, max-requests, max-requests-jitter, "
          + "max-worker-lifetime, max-worker-lifetime-jitter, boot-timeout, backlog, graceful-timeout "
          + "(only shorter than the top-level one counts), concurrency-limit (with -initial, -min, -max) and "
          + "supervision-policy; what it does not set, it takes from the top "
          + "level. A route is one to three terms separated by spaces, all of which must match: /prefix "
          + "(at a segment boundary: /reports matches /reports/x, not /reportsx), an upper-case METHOD, "
          + "header:NAME=VALUE (or header:NAME for any value). The most specific matching route wins "
          + "(longest prefix, then most terms); requests no route matches go to the default pool, which "
          + "takes the top-level settings (pools.default may only list routes, to send requests back to "
          + "it). Each pool has its own backlog; with preload-app each pool preloads its own instance. "
          + "A reload re-reads every pool's settings but cannot add or remove a pool (restart for that). "
          + "See docs/pools.md.");

  public static final Setting<Boolean> RELOAD = new Setting<>(
      "reload", Section.DEBUGGING, List.of("--reload"), "",
      Setting.CliKind.SWITCH, ValueReader.bool(),
      "Development mode: watch the application's classpath and the config file, and on a change "
          + "do the same rolling reload as SIGHUP (new code loads in a fresh class loader when it "
          + "comes from --classpath). Not for production.");

  public static final Setting<Boolean> PRELOAD_APP = new Setting<>(
      "preload-app", Section.SERVER_MECHANICS, List.of("--preload"), "",
      Setting.CliKind.SWITCH, ValueReader.bool(),
      "Build one application instance before the workers start and share it between them. Off: "
          + "each worker builds its own instance, so a recycled worker starts with fresh state. On: "
          + "one instance (the application must be thread-safe); onStart runs once.");

  public static final Setting<String> APP = new Setting<>(
      "app", Section.SERVER_MECHANICS, List.of(), "CLASS",
      Setting.CliKind.VALUE, ValueReader.text(),
      "The application to serve when the command line names none (gunicorn's wsgi_app): a class "
          + "implementing dev.narwhal.Application or a bundled example's name. The APP argument wins "
          + "over it. Empty: the Narwhal-App attribute of the manifest of the jar run with java -jar "
          + "(or of a --classpath jar), else APP is required.");

  public static final Setting<String> HOOKS = new Setting<>(
      "hooks", Section.SERVER_HOOKS, List.of("--hooks"), "CLASS",
      Setting.CliKind.VALUE, ValueReader.text(),
      "A class implementing dev.narwhal.ServerHooks (public no-argument constructor) whose methods "
          + "are called at gunicorn's hook points: on starting, when ready, pre/post worker start, "
          + "pre/post request, worker timeout, worker exit, on reload, on exit. Empty: no hooks.");

  public static final Setting<String> SUPERVISION_POLICY = new Setting<>(
      "supervision-policy", Section.SERVER_HOOKS, List.of("--supervision-policy"), "CLASS",
      Setting.CliKind.VALUE, ValueReader.text(),
      "A class implementing dev.narwhal.spi.SupervisionPolicy (public no-argument constructor) that "
          + "decides what a failure does to its worker (a handler's exception, a timeout, a boot "
          + "failure: keep it, restart it now or after a delay, or stop the server with an exit "
          + "status) and may recycle workers by their figures. Empty: the built-in policy.");

  public static final Setting<List<Path>> CLASSPATH = new Setting<>(
      "classpath", Section.SERVER_MECHANICS, List.of("--classpath"), "PATH",
      Setting.CliKind.REPEATABLE, ValueReader.pathList(),
      "Where to find the application's classes: directories or jars, repeatable, or joined with ':'. "
          + "Gunicorn's --pythonpath for the JVM; empty means only the classes Narwhal ships with.");

  public static final Setting<Duration> KEEPALIVE = new Setting<>(
      "keepalive", Section.WORKER_PROCESSES, List.of("--keep-alive"), "DURATION",
      Setting.CliKind.VALUE, ValueReader.durationOrOff(),
      "How long an idle keep-alive connection waits for its next request before the server closes "
          + "it. The clock runs only between requests, so a slow response is never cut short by it. "
          + "0 or off answers every response with Connection: close. Keep it short (1-5 s) when "
          + "clients connect directly; behind a load balancer, make it longer than the balancer's "
          + "own idle timeout. A new connection's first request is header-timeout's; a body that "
          + "stalls is body-timeout's.");

  public static final Setting<Integer> LIMIT_REQUEST_LINE = new Setting<>(
      "limit-request-line", Section.SECURITY, List.of("--limit-request-line"), "INT",
      Setting.CliKind.VALUE, ValueReader.integer(0),
      "The maximum length of a request's target (path and query), in bytes. Longer ones are "
          + "answered 414 URI Too Long by the HTTP front end (Pekko's parsing.max-uri-length; on HTTP/2 "
          + "the :path), before any worker is involved. Gunicorn counts the whole request line, method and protocol "
          + "included; Narwhal counts the target only, a few bytes more lenient. 0 means unlimited.");

  public static final Setting<Integer> LIMIT_REQUEST_FIELDS = new Setting<>(
      "limit-request-fields", Section.SECURITY, List.of("--limit-request-fields"), "INT",
      Setting.CliKind.VALUE, ValueReader.integer(0),
      "The maximum number of header fields in a request. A request with more is answered 431 "
          + "Request Header Fields Too Large by the HTTP front end (Pekko's parsing.max-header-count), "
          + "before any worker is involved. Gunicorn answers 400. 0 means unlimited.");

  public static final Setting<Integer> LIMIT_REQUEST_FIELD_SIZE = new Setting<>(
      "limit-request-field-size", Section.SECURITY,
      List.of("--limit-request-field_size", "--limit-request-field-size"), "INT",
      Setting.CliKind.VALUE, ValueReader.integer(0),
      "The maximum size of a header field's value, in bytes. A request with a larger one is "
          + "answered 431 Request Header Fields Too Large by the HTTP front end (Pekko's "
          + "parsing.max-header-value-length), before any worker is involved; header "
          + "names are limited separately, to pekko.http.server.parsing.max-header-name-length. "
          + "0 means unlimited.");

  public static final Setting<Long> LIMIT_REQUEST_BODY = new Setting<>(
      "limit-request-body", Section.SECURITY, List.of("--limit-request-body"), "SIZE",
      Setting.CliKind.VALUE, ValueReader.size(),
      "The maximum size of a request body, in bytes or with a unit (10m, 1g). A larger body is "
          + "answered 413 Content Too Large and the connection closed: at once when Content-Length "
          + "announces it, before any of the body is read, and as soon as a chunked body grows past "
          + "it. No worker is involved. 0 means unlimited (Pekko's parsing.max-content-length is "
          + "set from this).");

  public static final Setting<Duration> HEADER_TIMEOUT = new Setting<>(
      "header-timeout", Section.SECURITY, List.of("--header-timeout"), "DURATION",
      Setting.CliKind.VALUE, ValueReader.durationOrOff(),
      "How long a new connection may take to deliver its first complete request head (request line "
          + "and headers). One that has not is answered 408 Request Timeout and closed, so clients "
          + "that trickle a request in byte by byte (slowloris) cannot hold connections open. Between "
          + "requests on a kept-alive connection, keepalive bounds the wait instead. On a TLS bind the "
          + "408 needs the handshake done: a connection without a request 2 s past the timeout (a "
          + "handshake never finished, or nothing sent after it) is closed without an answer. 0 or "
          + "off disables.");

  public static final Setting<Duration> BODY_TIMEOUT = new Setting<>(
      "body-timeout", Section.SECURITY, List.of("--body-timeout"), "DURATION",
      Setting.CliKind.VALUE, ValueReader.durationOrOff(),
      "The longest pause allowed while a request body is being received: if no body bytes arrive "
          + "for this long, the request is answered 408 Request Timeout and the connection closed. "
          + "It counts silence, not total time, so a large upload on a slow but steady link is never "
          + "cut off. Bodies are read in full before a worker sees the request, so a slow upload "
          + "holds a connection, never a worker. 0 or off disables.");

  public static final Setting<Duration> BODY_TOTAL_TIMEOUT = new Setting<>(
      "body-total-timeout", Section.SECURITY, List.of("--body-total-timeout"), "DURATION",
      Setting.CliKind.VALUE, ValueReader.durationOrOff(),
      "The longest a request body may take to arrive in full, counted from the end of its request "
          + "head. A body still incomplete by then is answered 408 Request Timeout, the connection "
          + "closed and its spool file deleted, however steadily it trickles in: body-timeout only "
          + "bounds the pauses, so without this a client sending a byte every few seconds would hold "
          + "its share of max-body-buffer for ever. Leave room for the largest upload you accept on "
          + "the slowest link you serve (the default fits 100 MB at about 1.5 Mbit/s). 0 or off disables.");

  public static final Setting<Long> MAX_BODY_BUFFER = new Setting<>(
      "max-body-buffer", Section.SECURITY, List.of("--max-body-buffer"), "SIZE",
      Setting.CliKind.VALUE, ValueReader.size(),
      "How many request body bytes the server holds at once, in memory and spooled in "
          + "worker-tmp-dir together, in bytes or with a unit (512m, 2g). A body counts from the moment "
          + "it starts to arrive (all of it at once when Content-Length announces it) until its request "
          + "is answered. A request whose body would go over it is answered at once, its body unread and "
          + "its connection closed: 503 Service Unavailable with Retry-After when other bodies fill the "
          + "budget (the server is full for now; retrying later will work), 413 Content Too Large when "
          + "its Content-Length alone is over it (it never will). A body the budget has taken is never "
          + "cut off for another's sake; a chunked body, whose size is unknown until it ends, is taken "
          + "piece by piece and refused at the piece that would go over. Bodies that came with their "
          + "request head (a few kilobytes) are counted but never refused. 0 means unlimited.");

  public static final Setting<Optional<Path>> CHDIR = new Setting<>(
      "chdir", Section.SERVER_MECHANICS, List.of("--chdir"), "DIR",
      Setting.CliKind.VALUE, PathReaders.chdir(),
      "The directory to run from. Relative paths in the other settings (classpath, pidfile, "
          + "accesslog, errorlog, worker-tmp-dir, keyfile, certfile) are resolved against it, and with "
          + "daemon on the detached server runs in it. A running JVM cannot change its own working "
          + "directory, so in the foreground the application's own relative file names still resolve "
          + "against the directory Narwhal was started from. The config file (-c) is always found "
          + "relative to that starting directory, as in gunicorn. Empty: no change.");

  public static final Setting<Boolean> DAEMON = new Setting<>(
      "daemon", Section.SERVER_MECHANICS, List.of("-D", "--daemon"), "",
      Setting.CliKind.SWITCH, ValueReader.bool(),
      "Detach from the terminal and run in the background. The narwhal command starts a second, "
          + "detached JVM (in a new session, through setsid where it exists), waits until that server "
          + "listens, prints its pid and exits 0, or exits with the server's status if it fails to "
          + "start. The background server reads stdin from /dev/null and appends its stdout and "
          + "stderr to the errorlog file; with accesslog or errorlog '-' those logs are discarded, "
          + "so give files. Leave it off under systemd, Docker or any process supervisor.");

  public static final Setting<Map<String, String>> RAW_ENV = new Setting<>(
      "raw-env", Section.SERVER_MECHANICS, List.of("-e", "--env"), "KEY=VALUE",
      Setting.CliKind.REPEATABLE, ValueReader.keyValues(),
      "Environment variables for the application, KEY=VALUE, repeatable (in the config file, a list "
          + "of strings or an object). A JVM cannot change its own environment, so the application "
          + "reads them with dev.narwhal.Environment.get(name), which falls back to the real "
          + "environment; System.getenv does not see them. With daemon on, they are also set in the "
          + "background server's real environment. --print-config shows their names, not their values.")
      .asSecret();

  public static final Setting<Optional<Path>> PIDFILE = new Setting<>(
      "pidfile", Section.SERVER_MECHANICS, List.of("-p", "--pid"), "FILE",
      Setting.CliKind.VALUE, PathReaders.fileToCreate(),
      "A file to write the server's process id to, once it listens; it is removed when the server "
          + "exits. A leftover pidfile whose process is gone is replaced; one naming a running "
          + "process stops start-up with status 2. Empty: no pidfile.");

  public static final Setting<Path> WORKER_TMP_DIR = new Setting<>(
      "worker-tmp-dir", Section.SERVER_MECHANICS, List.of("--worker-tmp-dir"), "DIR",
      Setting.CliKind.VALUE, PathReaders.writableDirectory(),
      "Where large request bodies are spooled; it must exist and be writable. Empty: the JVM's "
          + "temporary directory. A body larger than body-spool-threshold is written to a file here "
          + "(narwhal-body-PID-*.tmp, owner-only) while it arrives instead of being held in memory, and "
          + "the file is deleted once the request is answered, timed out or refused; files left by a "
          + "server that was killed are deleted when the next one starts. Gunicorn also "
          + "keeps worker heartbeat files here, which Narwhal's workers do not need. Use a disk-backed "
          + "directory if bodies are large; a tmpfs holds them in memory after all.");

  public static final Setting<Long> BODY_SPOOL_THRESHOLD = new Setting<>(
      "body-spool-threshold", Section.SERVER_MECHANICS, List.of("--body-spool-threshold"), "SIZE",
      Setting.CliKind.VALUE, ValueReader.size(),
      "Request bodies larger than this are spooled to a file in worker-tmp-dir instead of memory, "
          + "in bytes or with a unit (512k, 1m). The application reads them the same way "
          + "(Request.body(), or Request.bodyStream() to avoid loading them). A body with a "
          + "Content-Length over it goes straight to the file; a chunked one is kept in memory until "
          + "it passes it. 0 keeps every body in memory.");

  public static final Setting<List<String>> FORWARDED_ALLOW_IPS = new Setting<>(
      "forwarded-allow-ips", Section.SERVER_MECHANICS, List.of("--forwarded-allow-ips"), "ADDRESSES",
      Setting.CliKind.VALUE, NetworkReaders.ipList(),
      "Proxies trusted to tell who the client is and which scheme it used: IP addresses or networks, "
          + "comma-separated, or * for any. Only when the connection comes from one of them does "
          + "Request.scheme() follow X-Forwarded-Proto (or X-Forwarded-Protocol: ssl, X-Forwarded-Ssl: on, "
          + "gunicorn's secure-scheme headers) and Request.clientAddress() follow X-Forwarded-For; "
          + "an RFC 7239 Forwarded header (for=, proto=) takes precedence over both. In a chain of "
          + "proxies the client is the rightmost address that is not itself trusted. Headers from "
          + "any other peer are passed to the application untouched but change nothing. As in "
          + "gunicorn, Request.remoteAddress() and the access log's %(h)s stay the connection's peer "
          + "(with proxy-protocol on, the client its PROXY header names).");

  public static final Setting<String> PROXY_PROTOCOL = new Setting<>(
      "proxy-protocol", Section.SERVER_MECHANICS, List.of("--proxy-protocol"), "off|v1|v2|auto",
      Setting.CliKind.VALUE, NetworkReaders.proxyProtocol(),
      "Read the PROXY protocol header (haproxy's send-proxy, AWS NLB, ...) that a proxy sends before "
          + "anything else on each connection to the application binds: v1 (text), v2 (binary), or auto "
          + "(either, or none: plain HTTP from the proxy itself, e.g. its health checks); on and true mean "
          + "auto, as in gunicorn. The client address and port it carries become Request.remoteAddress(), "
          + "Request.clientAddress() and the access log's %(h)s (X-Forwarded-For is then believed only if "
          + "that client is in forwarded-allow-ips); a LOCAL (v2) or UNKNOWN (v1) header keeps the "
          + "connection's own peer. A connection from a peer not in proxy-allow-ips is closed at once, "
          + "and so is one whose header is malformed, missing (v1, v2) or of the other version, without "
          + "an answer and without reaching the application; both are logged as warnings (at most once a "
          + "minute). Works on plain and TLS binds (the header comes before the TLS handshake) and with "
          + "HTTP/2. off: the binds read no header, and a proxy's header would be refused as a bad request.");

  public static final Setting<List<String>> PROXY_ALLOW_IPS = new Setting<>(
      "proxy-allow-ips", Section.SERVER_MECHANICS, List.of("--proxy-allow-from"), "ADDRESSES",
      Setting.CliKind.VALUE, NetworkReaders.ipList(),
      "The proxies allowed to connect when proxy-protocol is on, whose PROXY headers are believed: IP "
          + "addresses or networks, comma-separated, or * for any (gunicorn's proxy_allow_ips). A "
          + "connection from any other peer is closed before a byte is read, so a client that reaches "
          + "the bind directly cannot pass itself off as another address.");

  public static final Setting<Boolean> SERVER_HEADER = new Setting<>(
      "server-header", Section.SERVER_MECHANICS, List.of("--server-header"), "on|off",
      Setting.CliKind.VALUE, ValueReader.bool(),
      "Send a Server: narwhal header with every response. off: no Server header (unless the "
          + "application sets one), for those who would rather not name their server. The Date header is "
          + "always sent.");

  public static final Setting<String> ACCESSLOG = new Setting<>(
      "accesslog", Section.LOGGING, List.of("--access-logfile"), "FILE",
      Setting.CliKind.VALUE, PathReaders.logTarget("stdout", true),
      "Where to write the access log: '-' for stdout, a file (appended to, reopened on SIGUSR1), or "
          + "empty for none, gunicorn's default. One line per request in access-log-format, handed "
          + "to a background writer so logging never delays a response.");

  public static final Setting<String> ACCESS_LOG_FORMAT = new Setting<>(
      "access-log-format", Section.LOGGING, List.of("--access-logformat"), "FORMAT",
      Setting.CliKind.VALUE, ValueReader.accessLogFormat(),
      "The access-log line, in gunicorn's syntax and atoms. h remote address, l '-', u user (HTTP "
          + "Basic), t time as [10/Oct/2000:13:55:36 -0700], r request line, m method, U path "
          + "(decoded), q query, H protocol, s status, B and b response length, f referer, a user "
          + "agent, T request time in seconds, M in milliseconds, D in microseconds, L in decimal "
          + "seconds, p <pid>, {name}i request header, {name}o response header, {name}e request "
          + "variable (REMOTE_ADDR, PATH_INFO, RAW_URI...) or environment variable; %% is a literal %. "
          + "Atoms with no value print '-'. Values are escaped as nginx does, so a request is always "
          + "one line: a quote or a backslash gets a backslash before it, every other byte outside "
          + "printable ASCII (controls, non-ASCII UTF-8, invalid bytes) becomes \\xHH.");

  public static final Setting<Boolean> ACCESS_LOG_JSON = new Setting<>(
      "access-log-json", Section.LOGGING, List.of("--access-log-json"), "",
      Setting.CliKind.SWITCH, ValueReader.bool(),
      "Write each access-log line as a JSON object instead of access-log-format. Fields: time "
          + "(ISO-8601), remote_addr, user, method, path, query, protocol, status, bytes, referer, "
          + "user_agent, duration_ms; absent values are null. Control and non-ASCII characters are "
          + "written as \\u escapes, so a request is always one ASCII line. For log pipelines that parse JSON.");

  public static final Setting<String> ERRORLOG = new Setting<>(
      "errorlog", Section.LOGGING, List.of("--error-logfile", "--log-file"), "FILE",
      Setting.CliKind.VALUE, PathReaders.logTarget("stderr", false),
      "Where to write the error log, Narwhal's and Pekko's messages: '-' for stderr, or a file "
          + "(appended to, reopened on SIGUSR1).");

  public static final Setting<String> LOGLEVEL = new Setting<>(
      "loglevel", Section.LOGGING, List.of("--log-level"), "LEVEL",
      Setting.CliKind.VALUE, ValueReader.oneOf(List.of("debug", "info", "warning", "error", "critical"), ""),
      "The error log's level: debug, info, warning, error or critical. It applies to Narwhal's "
          + "loggers and to Pekko's, except that Pekko's own info lines (its start and stop) only show "
          + "at debug. SLF4J has no level above error, so critical logs what error does.");

  public static final Setting<Optional<Path>> LOGCONFIG = new Setting<>(
      "logconfig", Section.LOGGING, List.of("--log-config"), "FILE",
      Setting.CliKind.VALUE, PathReaders.readableFile("Logback configuration file (XML)"),
      "A Logback configuration file (XML) to log with, as gunicorn's logconfig names a logging "
          + "configuration: your own appenders, patterns and per-logger levels, in place of what "
          + "errorlog and loglevel set up (SIGUSR1 then reopens nothing: rotate as the file says). "
          + "Access lines go to the logger narwhal.access, at INFO, when accesslog is set; with "
          + "capture-output, System.out and System.err go to narwhal.stdout and narwhal.stderr. "
          + "Without it, Logback's own -Dlogback.configurationFile or a logback.xml on the server's "
          + "class path (your runnable jar's; not one in a --classpath jar) is used the same way; the "
          + "start says which. A file Logback reports errors in stops the start with exit 2.");

  public static final Setting<Boolean> CAPTURE_OUTPUT = new Setting<>(
      "capture-output", Section.LOGGING, List.of("--capture-output"), "",
      Setting.CliKind.SWITCH, ValueReader.bool(),
      "Send the application's System.out and System.err to the error log. Each printed line becomes "
          + "a log line (INFO for stdout, ERROR for stderr) whatever loglevel says. Off: they go to "
          + "the process's own stdout and stderr.");

  public static final Setting<String> PROC_NAME = new Setting<>(
      "proc-name", Section.PROCESS_NAMING, List.of("-n", "--name"), "NAME",
      Setting.CliKind.VALUE, ValueReader.text(),
      "A name for the server process. It appears in every error-log line, after the time, so the "
          + "ready line carries it too, and on Linux it becomes the process name that top, ps -e "
          + "and pgrep show (the kernel keeps 15 bytes; ps aux still shows the java command line). "
          + "Empty: the process keeps the name java and log lines carry none.");

  public static final Setting<Optional<Path>> KEYFILE = new Setting<>(
      "keyfile", Section.SSL, List.of("--keyfile"), "FILE",
      Setting.CliKind.VALUE, PathReaders.pem(false),
      "The TLS private key, a PEM file: PKCS#8 (BEGIN PRIVATE KEY), RSA (BEGIN RSA PRIVATE KEY) or "
          + "EC (BEGIN EC PRIVATE KEY), unencrypted. With certfile, every bind serves HTTPS. Empty: the "
          + "key is read from certfile, as gunicorn does when it is given alone.");

  public static final Setting<Optional<Path>> CERTFILE = new Setting<>(
      "certfile", Section.SSL, List.of("--certfile"), "FILE",
      Setting.CliKind.VALUE, PathReaders.pem(true),
      "The TLS certificate chain, a PEM file: the server's certificate first, then any "
          + "intermediates. Setting it turns every bind into HTTPS; a missing, unreadable or "
          + "mismatched key or certificate stops start-up with status 2. A reload (SIGHUP) reads "
          + "keyfile and certfile again for new connections, so a renewed certificate needs no "
          + "restart; a bad one aborts the reload and the old one stays. Empty: plain HTTP.");

  public static final Setting<Optional<Path>> CA_CERTS = new Setting<>(
      "ca-certs", Section.SSL, List.of("--ca-certs"), "FILE",
      Setting.CliKind.VALUE, PathReaders.pem(true),
      "CA certificates (PEM) that client certificates must chain to, for cert-reqs optional or "
          + "required. Empty: none.");

  public static final Setting<String> CERT_REQS = new Setting<>(
      "cert-reqs", Section.SSL, List.of("--cert-reqs"), "INT",
      Setting.CliKind.VALUE, NetworkReaders.clientCertificates(),
      "Whether clients must present a certificate, gunicorn's values: 0 (none, the default), 1 "
          + "(optional: asked for, and checked against ca-certs when sent) or 2 (required: a client "
          + "without a certificate signed by ca-certs fails the TLS handshake). The names none, optional "
          + "and required work too. Needs certfile, and ca-certs for 1 and 2. The chain a client presents "
          + "reaches the application as Request.clientCertificates() (a servlet's "
          + "jakarta.servlet.request.X509Certificate attribute), also on a request another cluster node "
          + "serves.");

  public static final Setting<List<String>> HTTP_PROTOCOLS = new Setting<>(
      "http-protocols", Section.HTTP2, List.of("--http-protocols"), "PROTOCOLS",
      Setting.CliKind.VALUE, NetworkReaders.httpProtocols(),
      "The HTTP versions to serve, comma-separated: h1, or h2,h1 (in either order) to offer HTTP/2 "
          + "over TLS through ALPN as well; clients that offer h2 get it, others HTTP/1.1. h2 needs "
          + "certfile (for cleartext HTTP/2 see http2-cleartext), and h1 cannot be left out: Pekko "
          + "HTTP always falls back to HTTP/1.1. Every request still goes through the worker pool "
          + "and the access log; HTTP/2 streams of one connection run in parallel (up to "
          + "http2-max-concurrent-streams). keepalive and header-timeout apply to HTTP/1.1 and HTTP/2 "
          + "connections alike.");

  public static final Setting<Boolean> HTTP2_CLEARTEXT = new Setting<>(
      "http2-cleartext", Section.HTTP2, List.of("--http2-cleartext"), "on|off",
      Setting.CliKind.VALUE, NetworkReaders.http2Cleartext(),
      "Serve HTTP/2 without TLS (h2c) on plain binds, to connections that open with the HTTP/2 "
          + "preface (prior knowledge); HTTP/1.1 clients are served on the same bind. Upgrade: h2c, "
          + "which RFC 9113 deprecates, is not offered (gunicorn's prior-knowledge and both mean on). For "
          + "a TLS-terminating proxy that speaks HTTP/2 upstream; never expose such a port to the "
          + "internet. Ignored when certfile is set: there, HTTP/2 is negotiated by ALPN.");

  public static final Setting<Integer> HTTP2_MAX_CONCURRENT_STREAMS = new Setting<>(
      "http2-max-concurrent-streams", Section.HTTP2, List.of("--http2-max-concurrent-streams"), "INT",
      Setting.CliKind.VALUE, ValueReader.integer(1),
      "The most requests one HTTP/2 connection may have in flight at once. The server advertises it "
          + "(SETTINGS_MAX_CONCURRENT_STREAMS) and refuses a stream beyond it (RST_STREAM "
          + "REFUSED_STREAM), so one connection cannot take the whole backlog. Pekko's "
          + "pekko.http.server.http2.max-concurrent-streams is overridden by it.");

  public static final Setting<Optional<BindAddress>> ADMIN_BIND = new Setting<>(
      "admin-bind", Section.ADMIN, List.of("--admin-bind"), "ADDRESS",
      Setting.CliKind.VALUE, NetworkReaders.bindOrOff(),
      "Where the admin API listens: health checks, /stats, /metrics, thread dumps, the control "
          + "endpoints narwhal ctl uses, and the live dashboard at /. HOST:PORT, separate from the "
          + "application's bind; off disables it. Keep it on loopback or a private network: reads "
          + "are open unless admin-read-auth is on, and only the control endpoints always need the "
          + "admin token. Requests whose Host is not allowed (see admin-allowed-hosts) get 421. "
          + "Port 0 picks a free port.");

  /** The shortest admin-token accepted: shorter ones can be guessed through the admin API. */
  public static final int ADMIN_TOKEN_MIN_LENGTH = 16;

  public static final Setting<String> ADMIN_TOKEN = new Setting<>(
      "admin-token", Section.ADMIN, List.of(), "TOKEN",
      Setting.CliKind.VALUE, ValueReader.secret(ADMIN_TOKEN_MIN_LENGTH, "generate one at start"),
      "The bearer token the admin API's control endpoints (reload, scale, stop, reopen-logs) "
          + "require, and with admin-read-auth on its reads as well; at least "
          + ADMIN_TOKEN_MIN_LENGTH + " characters. Set it through the environment (NARWHAL_ADMIN_TOKEN) "
          + "or the config file; it has no command-line flag, since other users can read a process's "
          + "arguments, and --print-config does not show it. Empty: a random token is generated at "
          + "start and written to admin-token-file, readable by the owner only; the ready log line "
          + "names the file.").asSecret();

  public static final Setting<Optional<Path>> ADMIN_TOKEN_FILE = new Setting<>(
      "admin-token-file", Section.ADMIN, List.of("--admin-token-file"), "FILE",
      Setting.CliKind.VALUE, ValueReader.optionalPath(),
      "Where a generated admin token is written (mode 0600, removed at exit). Empty: "
          + "$XDG_RUNTIME_DIR/narwhal/admin-PORT.token, or narwhal-USER/admin-PORT.token in the "
          + "temporary directory, PORT being the admin port; narwhal ctl looks there by default.");

  public static final Setting<Boolean> ADMIN_READ_AUTH = new Setting<>(
      "admin-read-auth", Section.ADMIN, List.of("--admin-read-auth"), "on|off",
      Setting.CliKind.VALUE, ValueReader.bool(),
      "Require the admin token for the admin API's reads too: the dashboard, /stats, /metrics and "
          + "/threads answer 401 without Authorization: Bearer TOKEN. /health/live and /health/ready "
          + "always stay open, for probes. In a browser, open the dashboard once as /?token=TOKEN: the "
          + "server answers with a cookie that lets that browser read (never control) and drops the "
          + "token from the address. off: reads are open to whoever reaches admin-bind.");

  public static final Setting<List<String>> ADMIN_ALLOWED_HOSTS = new Setting<>(
      "admin-allowed-hosts", Section.ADMIN, List.of("--admin-allowed-hosts"), "HOSTS",
      Setting.CliKind.VALUE, NetworkReaders.hostList(),
      "Host names the admin API answers to besides localhost, IP addresses and admin-bind's own "
          + "host, comma-separated, without ports; .example.com allows the domain and its subdomains, "
          + "* allows any. A request with another Host gets 421 Misdirected Request: a web page that "
          + "points its own name at 127.0.0.1 (DNS rebinding) cannot read /stats or /threads through "
          + "a visitor's browser. Health checks are exempt. Empty: only those defaults.");

  public static final Setting<Boolean> METRICS = new Setting<>(
      "metrics", Section.METRICS, List.of("--metrics"), "on|off",
      Setting.CliKind.VALUE, ValueReader.bool(),
      "Collect metrics with Kamon and serve them in Prometheus' text format at /metrics on the "
          + "admin bind: requests, latency and queueing histograms, pool state, restarts by reason, "
          + "JVM and process metrics. Kamon's own reporters and its embedded Prometheus server are "
          + "configured in the config file's kamon { } block. off: no Kamon at all.");

  public static final Setting<Duration> METRICS_TICK_INTERVAL = new Setting<>(
      "metrics-tick-interval", Section.METRICS, List.of("--metrics-tick-interval"), "DURATION",
      Setting.CliKind.VALUE, ValueReader.duration(),
      "How often metrics are snapshotted for /metrics and Kamon's reporters (Kamon's "
          + "kamon.metric.tick-interval, whose own default is 60 s). /metrics is at most this old; "
          + "make it no longer than your Prometheus scrape interval.");

  public static final Setting<Optional<BindAddress>> STATSD_HOST = new Setting<>(
      "statsd-host", Section.METRICS, List.of("--statsd-host"), "HOST:PORT",
      Setting.CliKind.VALUE, NetworkReaders.statsdHost(),
      "Where to send Gunicorn's statsd metrics over UDP (gunicorn.requests, gunicorn.request.duration, "
          + "gunicorn.request.status.CODE, gunicorn.workers, gunicorn.log.*; with named pools also "
          + "narwhal.pool.NAME.workers and .requests), so dashboards built on Gunicorn's keep working. HOST:PORT, or "
          + "HOST for port 8125; empty or off: none. Requests only bump counters; a background thread "
          + "sends them once a second and never waits on the network.");

  public static final Setting<String> STATSD_PREFIX = new Setting<>(
      "statsd-prefix", Section.METRICS, List.of("--statsd-prefix"), "STRING",
      Setting.CliKind.VALUE, ValueReader.text(),
      "A prefix for every statsd metric name, joined with a dot as Gunicorn does (service.app gives "
          + "service.app.gunicorn.requests). Empty: none.");

  public static final Setting<String> DOGSTATSD_TAGS = new Setting<>(
      "dogstatsd-tags", Section.METRICS, List.of("--dogstatsd-tags"), "TAGS",
      Setting.CliKind.VALUE, ValueReader.text(),
      "Tags added to every statsd metric in DogStatsD's format, comma-separated (app:web,env:prod), "
          + "sent as |#app:web,env:prod. Empty: plain statsd lines.");

  public static final Setting<Boolean> CLUSTER_ENABLED = new Setting<>(
      "cluster.enabled", Section.CLUSTER, List.of("--cluster"), "",
      Setting.CliKind.SWITCH, ValueReader.bool(),
      "Run this server as one node of a Pekko Cluster: cluster-wide /stats?scope=cluster, a "
          + "rolling reload across nodes, overflow to idle nodes. Giving cluster.bind turns it on "
          + "as well. Off: no remoting at all, the server is a single process as before.");

  public static final Setting<Optional<BindAddress>> CLUSTER_BIND = new Setting<>(
      "cluster.bind", Section.CLUSTER, List.of("--cluster-bind"), "HOST:PORT",
      Setting.CliKind.VALUE, NetworkReaders.bindOrOff(),
      "The node's cluster (remoting) address, HOST:PORT; giving it enables the cluster. Other "
          + "nodes connect to exactly this host, so use an address they can reach (never 0.0.0.0). "
          + "off: 127.0.0.1:25520 when cluster.enabled is on.");

  public static final Setting<List<BindAddress>> CLUSTER_SEED_NODES = new Setting<>(
      "cluster.seed-nodes", Section.CLUSTER, List.of("--cluster-seed-nodes"), "HOST:PORT,...",
      Setting.CliKind.VALUE, NetworkReaders.bindList(),
      "The cluster addresses of the nodes a starting node contacts to join, comma-separated. "
          + "Give every node the same list; the first one, when it starts, founds the cluster. "
          + "Empty: the node joins itself (a cluster of one that others may join).");

  public static final Setting<List<String>> CLUSTER_ROLES = new Setting<>(
      "cluster.roles", Section.CLUSTER, List.of("--cluster-roles"), "NAME,...",
      Setting.CliKind.VALUE, ValueReader.nameList(),
      "Pekko Cluster roles of this node, comma-separated; shown in the cluster view. Empty: none.");

  public static final Setting<Boolean> CLUSTER_OVERFLOW = new Setting<>(
      "cluster.overflow", Section.CLUSTER, List.of("--cluster-overflow"), "on|off",
      Setting.CliKind.VALUE, ValueReader.bool(),
      "When a pool's backlog is full, forward a request to a node with idle workers in that pool "
          + "instead of answering 503. A forwarded request is never forwarded again; the access log's "
          + "X-Narwhal-Overflow header and the narwhal.overflow metric show the hop.");

  public static final Setting<Optional<Path>> CLUSTER_CERTFILE = new Setting<>(
      "cluster.certfile", Section.CLUSTER, List.of("--cluster-certfile"), "FILE",
      Setting.CliKind.VALUE, PathReaders.pem(true),
      "This node's certificate for the cluster's mutual TLS, a PEM file, issued directly by the CA "
          + "in cluster.ca-certs. Every node's certificate must share one subject name (CN or SAN) "
          + "with the others'. With cluster.keyfile and cluster.ca-certs, nodes speak TLS to each "
          + "other and accept only peers whose certificate that CA signed. Empty: plain TCP.");

  public static final Setting<Optional<Path>> CLUSTER_KEYFILE = new Setting<>(
      "cluster.keyfile", Section.CLUSTER, List.of("--cluster-keyfile"), "FILE",
      Setting.CliKind.VALUE, PathReaders.pem(false),
      "The private key of cluster.certfile: an unencrypted RSA key in PEM (PKCS#8 or PKCS#1). "
          + "Empty: none.");

  public static final Setting<Optional<Path>> CLUSTER_CA_CERTS = new Setting<>(
      "cluster.ca-certs", Section.CLUSTER, List.of("--cluster-ca-certs"), "FILE",
      Setting.CliKind.VALUE, PathReaders.pem(true),
      "The CA certificate (PEM) every node's cluster certificate must be signed by; a node "
          + "or any other process without such a certificate cannot connect. Empty: none.");

  public static final Setting<Boolean> CLUSTER_INSECURE = new Setting<>(
      "cluster.insecure", Section.CLUSTER, List.of("--cluster-insecure"), "on|off",
      Setting.CliKind.VALUE, ValueReader.bool(),
      "Allow a cluster.bind that is not a loopback address without cluster TLS. Any process that "
          + "reaches a plain cluster port can join, reload and down nodes and send requests as "
          + "another node, so without this a node refuses to start that way (status 2). Only for a "
          + "network that nothing else can reach.");

  /** Every setting, in documentation order. */
  public static final List<Setting<?>> ALL = withWebApp(List.of(
      RELOAD,
      BIND, BACKLOG, CONCURRENCY_LIMIT, CONCURRENCY_LIMIT_INITIAL, CONCURRENCY_LIMIT_MIN, CONCURRENCY_LIMIT_MAX,
      WORKERS, WORKER_CLASS, THREADS, WORKER_CONNECTIONS,
      MAX_REQUESTS, MAX_REQUESTS_JITTER, MAX_WORKER_LIFETIME, MAX_WORKER_LIFETIME_JITTER,
      HEAP_RECYCLE_THRESHOLD, HEAP_RECYCLE_COLLECTIONS, TIMEOUT, MAX_STUCK_THREADS, GRACEFUL_TIMEOUT, SHUTDOWN_DELAY, BOOT_TIMEOUT, POOLS, KEEPALIVE,
      LIMIT_REQUEST_LINE, LIMIT_REQUEST_FIELDS, LIMIT_REQUEST_FIELD_SIZE, LIMIT_REQUEST_BODY,
      HEADER_TIMEOUT, BODY_TIMEOUT, BODY_TOTAL_TIMEOUT, MAX_BODY_BUFFER,
      PRELOAD_APP, CLASSPATH, CHDIR, DAEMON, RAW_ENV, PIDFILE, WORKER_TMP_DIR, BODY_SPOOL_THRESHOLD,
      FORWARDED_ALLOW_IPS, PROXY_PROTOCOL, PROXY_ALLOW_IPS, SERVER_HEADER,
      ACCESSLOG, ACCESS_LOG_FORMAT, ACCESS_LOG_JSON, ERRORLOG, LOGLEVEL, LOGCONFIG, CAPTURE_OUTPUT,
      PROC_NAME,
      KEYFILE, CERTFILE, CA_CERTS, CERT_REQS,
      HTTP_PROTOCOLS, HTTP2_CLEARTEXT, HTTP2_MAX_CONCURRENT_STREAMS,
      APP, HOOKS, SUPERVISION_POLICY,
      ADMIN_BIND, ADMIN_TOKEN, ADMIN_TOKEN_FILE, ADMIN_READ_AUTH, ADMIN_ALLOWED_HOSTS, METRICS, METRICS_TICK_INTERVAL,
      STATSD_HOST, STATSD_PREFIX, DOGSTATSD_TAGS,
      CLUSTER_ENABLED, CLUSTER_BIND, CLUSTER_SEED_NODES, CLUSTER_ROLES, CLUSTER_OVERFLOW,
      CLUSTER_CERTFILE, CLUSTER_KEYFILE, CLUSTER_CA_CERTS, CLUSTER_INSECURE));

  private static List<Setting<?>> withWebApp(List<Setting<?>> settings) {
    List<Setting<?>> all = new java.util.ArrayList<>(settings);
    all.addAll(WebAppSettings.ALL);
    return List.copyOf(all);
  }

  private Settings() {}

  /** The setting with this key, if any. */
  public static Optional<Setting<?>> byKey(String key) {
    return ALL.stream().filter(s -> s.key().equals(key)).findFirst();
  }
}
