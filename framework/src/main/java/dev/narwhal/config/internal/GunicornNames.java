package dev.narwhal.config.internal;

import dev.narwhal.config.Setting;
import dev.narwhal.config.Settings;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * INTERNAL API. Gunicorn's names as a {@code gunicorn.conf.py} spells them. Settings Narwhal has
 * are found in the registry (its keys are Gunicorn's names with dashes, its flags Gunicorn's
 * flags); what only Gunicorn knows is listed here: the settings Narwhal lacks, so they can be
 * warned about while the file's own variables are ignored (as Gunicorn ignores them), and the
 * server hooks with their {@code dev.narwhal.ServerHooks} methods.
 */
public final class GunicornNames {
  /** Gunicorn's settings (23.x/24.x); the ones the registry knows map, the others are warned about. */
  private static final Set<String> GUNICORN_SETTINGS = Set.of(
      "config", "wsgi_app", "bind", "backlog", "workers", "worker_class", "threads", "worker_connections",
      "max_requests", "max_requests_jitter", "timeout", "graceful_timeout", "keepalive",
      "limit_request_line", "limit_request_fields", "limit_request_field_size", "reload", "reload_engine",
      "reload_extra_files", "spew", "check_config", "print_config", "preload_app", "sendfile", "reuse_port",
      "chdir", "daemon", "raw_env", "pidfile", "worker_tmp_dir", "user", "group", "umask", "initgroups",
      "tmp_upload_dir", "secure_scheme_headers", "forwarded_allow_ips", "accesslog",
      "disable_redirect_access_to_syslog", "access_log_format", "errorlog", "loglevel", "capture_output",
      "logger_class", "logconfig", "logconfig_dict", "logconfig_json", "syslog_addr", "syslog",
      "syslog_prefix", "syslog_facility", "enable_stdio_inheritance", "statsd_host", "dogstatsd_tags",
      "statsd_prefix", "proc_name", "default_proc_name", "pythonpath", "paste", "proxy_protocol",
      "proxy_allow_ips", "keyfile", "certfile", "ssl_version", "cert_reqs", "ca_certs", "suppress_ragged_eofs",
      "do_handshake_on_connect", "ciphers", "raw_paste_global_conf", "permit_obsolete_folding",
      "strip_header_spaces", "permit_unconventional_http_method", "permit_unconventional_http_version",
      "casefold_http_method", "forwarder_headers", "header_map", "http_protocols", "http2_max_concurrent_streams");

  /** Gunicorn's server hooks and the ServerHooks method for each; empty where Narwhal has none. */
  private static final Map<String, String> HOOKS = Map.ofEntries(
      Map.entry("on_starting", "onStarting()"), Map.entry("when_ready", "whenReady()"),
      Map.entry("on_reload", "onReload()"), Map.entry("pre_fork", "beforeWorkerStart(WorkerInfo)"),
      Map.entry("post_fork", "afterWorkerStart(WorkerInfo)"),
      Map.entry("post_worker_init", "afterWorkerAppInit(WorkerInfo)"),
      Map.entry("pre_request", "beforeRequest(WorkerInfo, Request)"),
      Map.entry("post_request", "afterRequest(WorkerInfo, Request, Response)"),
      Map.entry("worker_int", "workerInterrupted(WorkerInfo)"),
      Map.entry("worker_abort", "workerTimedOut(WorkerInfo, Request, StackTraceElement[])"),
      Map.entry("worker_exit", "workerExited(WorkerInfo)"), Map.entry("child_exit", "workerExited(WorkerInfo)"),
      Map.entry("nworkers_changed", "workerCountChanged(int, int)"), Map.entry("on_exit", "onExit()"),
      Map.entry("pre_exec", ""), Map.entry("ssl_context", ""));

  private GunicornNames() {}

  /**
   * The Narwhal setting for a Gunicorn name: the key of the same name with dashes, else the
   * setting whose flags include {@code --name}; {@code wsgi_app} is Narwhal's {@code app}.
   */
  public static Optional<Setting<?>> setting(String name) {
    if (name.equals("wsgi_app")) {
      return Optional.of(Settings.APP);
    }
    if (!name.equals(name.toLowerCase()) || name.startsWith("_")) {
      return Optional.empty(); // constants and private helpers, never settings
    }
    String dashed = name.replace('_', '-');
    return Settings.byKey(dashed).or(() -> Settings.ALL.stream()
        .filter(s -> s.flags().contains("--" + dashed) || s.flags().contains("--" + name))
        .findFirst());
  }

  /** Whether Gunicorn has a setting of this name. */
  public static boolean isGunicornSetting(String name) {
    return GUNICORN_SETTINGS.contains(name);
  }

  /** The ServerHooks method for a Gunicorn hook name ("" when none), empty if it is not a hook. */
  public static Optional<String> hookMethod(String name) {
    return Optional.ofNullable(HOOKS.get(name));
  }
}
