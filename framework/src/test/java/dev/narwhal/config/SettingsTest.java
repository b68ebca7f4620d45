package dev.narwhal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settings added for gunicorn parity: how each is spelled, read and refused. */
class SettingsTest {
  @TempDir
  Path dir;

  ServerConfig load(String... args) {
    return ConfigLoader.load(List.of(args), Map.of(), dir).config();
  }

  ConfigLoader.Invocation invocation(String... args) {
    return ConfigLoader.load(List.of(args), Map.of(), dir);
  }

  Path file(String content) throws IOException {
    return Files.writeString(dir.resolve("n.conf"), content);
  }

  @Test
  void defaults_are_gunicorns() {
    ServerConfig c = load("x");
    assertThat(c.get(Settings.WORKER_CLASS)).isEqualTo("sync");
    assertThat(c.get(Settings.THREADS)).isEqualTo(1);
    assertThat(c.get(Settings.WORKER_CONNECTIONS)).isEqualTo(1000);
    assertThat(c.get(Settings.KEEPALIVE)).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.get(Settings.LIMIT_REQUEST_LINE)).isEqualTo(4094);
    assertThat(c.get(Settings.LIMIT_REQUEST_FIELDS)).isEqualTo(100);
    assertThat(c.get(Settings.LIMIT_REQUEST_FIELD_SIZE)).isEqualTo(8190);
    assertThat(c.get(Settings.FORWARDED_ALLOW_IPS)).containsExactly("127.0.0.1", "::1");
    assertThat(c.get(Settings.ACCESSLOG)).isEmpty();
    assertThat(c.get(Settings.ACCESS_LOG_FORMAT)).isEqualTo("%(h)s %(l)s %(u)s %(t)s \"%(r)s\" %(s)s %(b)s \"%(f)s\" \"%(a)s\"");
    assertThat(c.get(Settings.ERRORLOG)).isEqualTo("-");
    assertThat(c.get(Settings.LOGLEVEL)).isEqualTo("info");
    assertThat(c.get(Settings.CAPTURE_OUTPUT)).isFalse();
    assertThat(c.get(Settings.DAEMON)).isFalse();
    assertThat(c.get(Settings.PIDFILE)).isEmpty();
    assertThat(c.get(Settings.CHDIR)).isEmpty();
    assertThat(c.get(Settings.RAW_ENV)).isEmpty();
    assertThat(c.get(Settings.PROC_NAME)).isEmpty();
    assertThat(c.get(Settings.WORKER_TMP_DIR)).isEqualTo(Path.of(System.getProperty("java.io.tmpdir")));
    assertThat(c.get(Settings.KEYFILE)).isEmpty();
    assertThat(c.get(Settings.CERTFILE)).isEmpty();
  }

  @Test
  void gunicorn_flags_set_each_new_setting() throws IOException {
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    ServerConfig c = load("-k", "SYNC", "--threads", "4", "--worker-connections", "50", "--keep-alive", "5",
        "--limit-request-line", "100", "--limit-request-fields", "10", "--limit-request-field_size", "20",
        "--forwarded-allow-ips", "10.0.0.0/8, ::1", "--access-logfile", "-", "--access-logformat", "%(s)s",
        "--access-log-json", "--error-logfile", dir.resolve("error.log").toString(), "--log-level", "WARNING",
        "--capture-output", "-D", "-p", dir.resolve("n.pid").toString(), "--chdir", dir.toString(),
        "-e", "A=1", "-e", "B=x=y", "-n", "blog", "--worker-tmp-dir", tmp.toString(), "x");
    assertThat(c.get(Settings.WORKER_CLASS)).isEqualTo("sync");
    assertThat(c.get(Settings.THREADS)).isEqualTo(4);
    assertThat(c.get(Settings.WORKER_CONNECTIONS)).isEqualTo(50);
    assertThat(c.get(Settings.KEEPALIVE)).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.get(Settings.LIMIT_REQUEST_LINE)).isEqualTo(100);
    assertThat(c.get(Settings.LIMIT_REQUEST_FIELDS)).isEqualTo(10);
    assertThat(c.get(Settings.LIMIT_REQUEST_FIELD_SIZE)).isEqualTo(20);
    assertThat(c.get(Settings.FORWARDED_ALLOW_IPS)).containsExactly("10.0.0.0/8", "::1");
    assertThat(c.get(Settings.ACCESSLOG)).isEqualTo("-");
    assertThat(c.get(Settings.ACCESS_LOG_FORMAT)).isEqualTo("%(s)s");
    assertThat(c.get(Settings.ACCESS_LOG_JSON)).isTrue();
    assertThat(c.get(Settings.ERRORLOG)).isEqualTo(dir.resolve("error.log").toString());
    assertThat(c.get(Settings.LOGLEVEL)).isEqualTo("warning");
    assertThat(c.get(Settings.CAPTURE_OUTPUT)).isTrue();
    assertThat(c.get(Settings.DAEMON)).isTrue();
    assertThat(c.get(Settings.PIDFILE)).contains(dir.resolve("n.pid"));
    assertThat(c.get(Settings.CHDIR)).contains(dir);
    assertThat(c.get(Settings.RAW_ENV)).containsExactly(Map.entry("A", "1"), Map.entry("B", "x=y"));
    assertThat(c.get(Settings.PROC_NAME)).isEqualTo("blog");
    assertThat(c.get(Settings.WORKER_TMP_DIR)).isEqualTo(tmp);
  }

  @Test
  void error_logfile_has_gunicorns_second_spelling() {
    assertThat(load("--log-file", dir.resolve("e.log").toString(), "x").get(Settings.ERRORLOG))
        .isEqualTo(dir.resolve("e.log").toString());
  }

  @Test
  void an_unknown_worker_class_names_the_supported_ones() {
    assertThatThrownBy(() -> load("-k", "gevent", "x"))
        .isInstanceOf(SettingsException.class)
        .hasMessage("command line: narwhal.worker-class: expected one of: sync, gthread, virtual, async, or a "
            + "class name like com.example.MyWorker, got 'gevent'");
  }

  @Test
  void a_worker_class_may_name_a_worker_extension() {
    assertThat(load("-k", "com.example.MyWorker", "x").get(Settings.WORKER_CLASS)).isEqualTo("com.example.MyWorker");
  }

  @Test
  void threads_must_be_at_least_one() {
    assertThat(invocation("--threads", "4", "x").warnings()).isEmpty();
    assertThatThrownBy(() -> load("--threads", "0", "x")).hasMessageContaining("expected a whole number >= 1");
  }

  @Test
  void changed_worker_connections_start_with_a_note_that_sync_workers_ignore_them() {
    assertThat(invocation("--worker-connections", "500", "x").warnings()).singleElement().asString()
        .contains("narwhal.worker-connections = 500 has no effect on sync workers");
    assertThatThrownBy(() -> load("--worker-connections", "0", "x")).hasMessageContaining("expected a whole number >= 1");
  }

  @Test
  void limit_request_body_takes_bytes_or_a_unit_and_defaults_to_100_mib() {
    assertThat(load("x").get(Settings.LIMIT_REQUEST_BODY)).isEqualTo(100L << 20);
    assertThat(load("--limit-request-body", "10m", "x").get(Settings.LIMIT_REQUEST_BODY)).isEqualTo(10L << 20);
    assertThat(load("--limit-request-body", "512k", "x").get(Settings.LIMIT_REQUEST_BODY)).isEqualTo(512L << 10);
    assertThat(load("--limit-request-body", "1000", "x").get(Settings.LIMIT_REQUEST_BODY)).isEqualTo(1000L);
    assertThat(load("--limit-request-body", "0", "x").get(Settings.LIMIT_REQUEST_BODY)).isZero();
    assertThatThrownBy(() -> load("--limit-request-body", "lots", "x"))
        .hasMessageContaining("narwhal.limit-request-body: expected a size");
  }

  @Test
  void header_and_body_timeouts_default_to_30_seconds_and_take_off() {
    assertThat(load("x").get(Settings.HEADER_TIMEOUT)).isEqualTo(Duration.ofSeconds(30));
    assertThat(load("x").get(Settings.BODY_TIMEOUT)).isEqualTo(Duration.ofSeconds(30));
    assertThat(load("--header-timeout", "off", "x").get(Settings.HEADER_TIMEOUT)).isZero();
    assertThat(load("--body-timeout", "2s", "x").get(Settings.BODY_TIMEOUT)).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void bodies_as_a_whole_default_to_1_gib_held_and_10_minutes_each_and_take_sizes_and_off() {
    assertThat(load("x").get(Settings.MAX_BODY_BUFFER)).isEqualTo(1L << 30);
    assertThat(load("x").get(Settings.BODY_TOTAL_TIMEOUT)).isEqualTo(Duration.ofMinutes(10));
    assertThat(load("--max-body-buffer", "512m", "x").get(Settings.MAX_BODY_BUFFER)).isEqualTo(512L << 20);
    assertThat(load("--max-body-buffer", "0", "x").get(Settings.MAX_BODY_BUFFER)).isZero();
    assertThat(load("--body-total-timeout", "off", "x").get(Settings.BODY_TOTAL_TIMEOUT)).isZero();
    assertThatThrownBy(() -> load("--max-body-buffer", "lots", "x"))
        .hasMessageContaining("narwhal.max-body-buffer: expected a size");
  }

  @Test
  void keepalive_takes_units_bare_seconds_and_off() {
    assertThat(load("--keep-alive", "750ms", "x").get(Settings.KEEPALIVE)).isEqualTo(Duration.ofMillis(750));
    assertThat(load("--keep-alive", "off", "x").get(Settings.KEEPALIVE)).isZero();
    assertThat(load("--keep-alive", "0", "x").get(Settings.KEEPALIVE)).isZero();
    assertThatThrownBy(() -> load("--keep-alive", "-1s", "x")).hasMessageContaining("narwhal.keepalive: expected a duration");
  }

  @Test
  void raw_env_accepts_a_list_or_an_object_in_a_file() throws IOException {
    Path list = file("narwhal.raw-env = [\"A=1\", \"B=\"]");
    assertThat(load("-c", list.toString(), "x").get(Settings.RAW_ENV)).containsExactly(Map.entry("A", "1"), Map.entry("B", ""));
    Path object = file("narwhal.raw-env { DJANGO_SETTINGS_MODULE = blog.settings, DEBUG = 0 }");
    assertThat(load("-c", object.toString(), "x").get(Settings.RAW_ENV))
        .containsEntry("DJANGO_SETTINGS_MODULE", "blog.settings").containsEntry("DEBUG", "0");
  }

  @Test
  void raw_env_without_an_equals_sign_is_refused() throws IOException {
    Path f = file("narwhal {\n  raw-env = [\"NOEQUALS\"]\n}\n");
    assertThatThrownBy(() -> load("-c", f.toString(), "x"))
        .hasMessage(f + ":2: narwhal.raw-env: expected KEY=VALUE entries (a list of strings, or an object of strings), "
            + "got 'NOEQUALS'");
  }

  @Test
  void null_in_a_file_means_none_for_optional_paths_as_gunicorns_none_does() throws IOException {
    Path f = file("narwhal { pidfile = null, accesslog = null, chdir = null }");
    ServerConfig c = load("-c", f.toString(), "x");
    assertThat(c.get(Settings.PIDFILE)).isEmpty();
    assertThat(c.get(Settings.ACCESSLOG)).isEmpty();
    assertThat(c.get(Settings.CHDIR)).isEmpty();
    Path bad = file("narwhal { errorlog = null }");
    assertThatThrownBy(() -> load("-c", bad.toString(), "x")).isInstanceOf(SettingsException.class)
        .hasMessageContaining("narwhal.errorlog: expected '-' (stderr) or a file path");
  }

  @Test
  void proxy_protocol_takes_gunicorns_modes_and_its_allow_list_takes_networks() {
    assertThat(ServerConfig.defaults().get(Settings.PROXY_PROTOCOL)).isEqualTo("off");
    assertThat(ServerConfig.defaults().get(Settings.PROXY_ALLOW_IPS)).containsExactly("127.0.0.1", "::1");
    assertThat(load("--proxy-protocol", "V2", "x").get(Settings.PROXY_PROTOCOL)).isEqualTo("v2");
    assertThat(load("--proxy-protocol", "true", "x").get(Settings.PROXY_PROTOCOL)).as("gunicorn's bare flag").isEqualTo("auto");
    assertThatThrownBy(() -> load("--proxy-protocol", "v3", "x"))
        .hasMessageContaining("narwhal.proxy-protocol: expected off, v1, v2 or auto");
    assertThat(load("--proxy-allow-from", "10.0.0.0/8,fd00::/8", "x").get(Settings.PROXY_ALLOW_IPS))
        .containsExactly("10.0.0.0/8", "fd00::/8");
    assertThatThrownBy(() -> load("--proxy-allow-from", "lb.example.com", "x"))
        .hasMessageContaining("narwhal.proxy-allow-ips: expected '*' or IP addresses");
  }

  @Test
  void forwarded_allow_ips_refuses_host_names_and_bad_networks() {
    assertThat(load("--forwarded-allow-ips", "*", "x").get(Settings.FORWARDED_ALLOW_IPS)).containsExactly("*");
    assertThat(load("--forwarded-allow-ips", "192.168.0.0/16,fd00::/8", "x").get(Settings.FORWARDED_ALLOW_IPS))
        .containsExactly("192.168.0.0/16", "fd00::/8");
    for (String bad : List.of("proxy.example.com", "10.0.0.0/33", "300.1.1.1", "::g")) {
      assertThatThrownBy(() -> load("--forwarded-allow-ips", bad, "x"))
          .hasMessageContaining("narwhal.forwarded-allow-ips: expected '*' or IP addresses").hasMessageContaining(bad);
    }
  }

  @Test
  void an_access_log_format_with_an_unknown_atom_is_refused_with_the_atom() {
    assertThatThrownBy(() -> load("--access-logformat", "%(h)s %(x)s", "x"))
        .hasMessageContaining("narwhal.access-log-format: expected a gunicorn access-log format")
        .hasMessageContaining("unknown atom %(x)s");
  }

  @Test
  void loglevel_is_one_of_gunicorns_five() {
    assertThat(load("--log-level", "critical", "x").get(Settings.LOGLEVEL)).isEqualTo("critical");
    assertThatThrownBy(() -> load("--log-level", "verbose", "x"))
        .hasMessage("command line: narwhal.loglevel: expected one of: debug, info, warning, error, critical, got 'verbose'");
  }

  @Test
  void log_files_must_be_in_an_existing_directory() {
    assertThatThrownBy(() -> load("--access-logfile", dir.resolve("no/such/access.log").toString(), "x"))
        .hasMessageContaining("narwhal.accesslog: expected '-' (stdout) or a file path").hasMessageContaining("whose directory does not exist");
    assertThatThrownBy(() -> load("--error-logfile", "", "x")).hasMessageContaining("narwhal.errorlog");
  }

  @Test
  void worker_tmp_dir_must_be_an_existing_directory() {
    assertThatThrownBy(() -> load("--worker-tmp-dir", dir.resolve("missing").toString(), "x"))
        .hasMessageContaining("narwhal.worker-tmp-dir: expected an existing writable directory")
        .hasMessageContaining("which does not exist");
  }

  @Test
  void chdir_must_exist_and_relative_paths_resolve_against_it() throws IOException {
    Path app = Files.createDirectories(dir.resolve("app/classes"));
    ServerConfig c = load("--chdir", dir.resolve("app").toString(), "--classpath", "classes", "-p", "run.pid",
        "--access-logfile", "access.log", "--worker-tmp-dir", "classes", "x");
    assertThat(c.get(Settings.CLASSPATH)).containsExactly(app);
    assertThat(c.get(Settings.PIDFILE)).contains(dir.resolve("app/run.pid"));
    assertThat(c.get(Settings.ACCESSLOG)).isEqualTo(dir.resolve("app/access.log").toString());
    assertThat(c.get(Settings.WORKER_TMP_DIR)).isEqualTo(app);
    assertThatThrownBy(() -> load("--chdir", dir.resolve("nowhere").toString(), "x"))
        .hasMessage("command line: narwhal.chdir: expected an existing directory, or \"\" to stay in the directory "
            + "Narwhal starts in, got '" + dir.resolve("nowhere") + "', which does not exist");
  }

  @Test
  void a_relative_chdir_is_relative_to_the_starting_directory() throws IOException {
    Files.createDirectories(dir.resolve("app"));
    assertThat(load("--chdir", "app", "x").get(Settings.CHDIR)).contains(dir.resolve("app"));
  }

  @Test
  void keyfile_and_certfile_must_be_readable_pem() throws Exception {
    Path notPem = Files.writeString(dir.resolve("key.txt"), "hello");
    assertThatThrownBy(() -> load("--keyfile", notPem.toString(), "x"))
        .hasMessageContaining("narwhal.keyfile: expected a readable PEM file with a private key")
        .hasMessageContaining("which holds no PEM private key");
    assertThatThrownBy(() -> load("--certfile", dir.resolve("none.pem").toString(), "x"))
        .hasMessageContaining("narwhal.certfile").hasMessageContaining("which does not exist");
    Path corrupt = Files.writeString(dir.resolve("cert.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
    assertThatThrownBy(() -> load("--certfile", corrupt.toString(), "x"))
        .hasMessageContaining("whose certificate cannot be read");
  }

  @Test
  void a_valid_key_and_certificate_load_without_notes() throws Exception {
    TestPem pem = TestPem.generate(dir);
    ConfigLoader.Invocation i = invocation("--keyfile", pem.key().toString(), "--certfile", pem.certificate().toString(),
        "--ca-certs", pem.certificate().toString(), "--cert-reqs", "2", "x");
    assertThat(i.config().get(Settings.KEYFILE)).contains(pem.key());
    assertThat(i.config().get(Settings.CERTFILE)).contains(pem.certificate());
    assertThat(i.config().get(Settings.CA_CERTS)).contains(pem.certificate());
    assertThat(i.config().get(Settings.CERT_REQS)).isEqualTo("required");
    assertThat(i.warnings()).isEmpty();
  }

  @Test
  void a_certfile_holding_the_key_too_loads_as_docs_settings_md_allows() throws Exception {
    TestPem pem = TestPem.generate(dir);
    Path both = Files.writeString(dir.resolve("both.pem"), Files.readString(pem.certificate()) + Files.readString(pem.key()));
    Path keyFirst = Files.writeString(dir.resolve("key-first.pem"), Files.readString(pem.key()) + Files.readString(pem.certificate()));

    assertThat(load("--certfile", both.toString(), "x").get(Settings.CERTFILE)).contains(both);
    assertThat(load("--certfile", keyFirst.toString(), "x").get(Settings.CERTFILE)).contains(keyFirst);
  }

  @Test
  void an_encrypted_pkcs1_key_is_a_key_whose_encryption_the_tls_check_names() throws Exception {
    // RFC 1421 header lines before the base64: the TLS check (TlsFiles) then says it is encrypted
    Path encrypted = Files.writeString(dir.resolve("enc.key"), "-----BEGIN RSA PRIVATE KEY-----\n"
        + "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\nAAAA\n"
        + "-----END RSA PRIVATE KEY-----\n");
    TestPem pem = TestPem.generate(dir);

    assertThat(load("--keyfile", encrypted.toString(), "--certfile", pem.certificate().toString(), "x")
        .get(Settings.KEYFILE)).contains(encrypted);
  }

  @Test
  void cert_reqs_takes_gunicorns_numbers_or_names() {
    assertThat(load("x").get(Settings.CERT_REQS)).isEqualTo("none");
    assertThat(load("--cert-reqs", "1", "x").get(Settings.CERT_REQS)).isEqualTo("optional");
    assertThat(load("--cert-reqs", "REQUIRED", "x").get(Settings.CERT_REQS)).isEqualTo("required");
    assertThatThrownBy(() -> load("--cert-reqs", "3", "x"))
        .hasMessage("command line: narwhal.cert-reqs: expected 0 (none), 1 (optional) or 2 (required), got '3'");
  }

  @Test
  void http_protocols_are_h1_or_h1_and_h2_in_any_order() {
    assertThat(load("x").get(Settings.HTTP_PROTOCOLS)).containsExactly("h1");
    assertThat(load("--http-protocols", "h2, h1", "x").get(Settings.HTTP_PROTOCOLS)).containsExactly("h2", "h1");
    assertThatThrownBy(() -> load("--http-protocols", "h2", "x")).hasMessageContaining("h1 cannot be left out");
    assertThatThrownBy(() -> load("--http-protocols", "h3,h1", "x")).hasMessageContaining("HTTP/3 is not supported");
    assertThat(invocation("--http-protocols", "h2,h1", "x").warnings()).singleElement().asString()
        .contains("HTTP/2 over TLS needs certfile");
  }

  @Test
  void http2_cleartext_is_on_or_off_and_takes_gunicorns_prior_knowledge() {
    assertThat(load("x").get(Settings.HTTP2_CLEARTEXT)).isFalse();
    assertThat(load("--http2-cleartext", "prior-knowledge", "x").get(Settings.HTTP2_CLEARTEXT)).isTrue();
    assertThat(load("--http2-cleartext", "on", "x").get(Settings.HTTP2_CLEARTEXT)).isTrue();
    assertThatThrownBy(() -> load("--http2-cleartext", "upgrade", "x")).hasMessageContaining("narwhal.http2-cleartext");
  }

  @Test
  void environment_variables_override_each_new_setting() {
    ServerConfig c = ConfigLoader.load(List.of("x"), Map.of("NARWHAL_KEEPALIVE", "9", "NARWHAL_PROC_NAME", "env-name",
        "NARWHAL_RAW_ENV", "K=V", "NARWHAL_LIMIT_REQUEST_FIELD_SIZE", "77"), dir).config();
    assertThat(c.get(Settings.KEEPALIVE)).isEqualTo(Duration.ofSeconds(9));
    assertThat(c.get(Settings.PROC_NAME)).isEqualTo("env-name");
    assertThat(c.get(Settings.RAW_ENV)).containsExactly(Map.entry("K", "V"));
    assertThat(c.get(Settings.LIMIT_REQUEST_FIELD_SIZE)).isEqualTo(77);
  }

  @Test
  void gunicorn_snake_case_spellings_of_the_new_keys_are_accepted() throws IOException {
    Path f = file("narwhal { worker_class = sync, access_log_format = \"%(s)s\", proc_name = blog, raw_env = [\"A=1\"] }");
    ConfigLoader.Invocation i = invocation("-c", f.toString(), "x");
    assertThat(i.config().get(Settings.PROC_NAME)).isEqualTo("blog");
    assertThat(i.config().get(Settings.ACCESS_LOG_FORMAT)).isEqualTo("%(s)s");
    assertThat(i.warnings()).hasSize(4);
  }

  @Test
  void every_key_has_an_environment_variable_named_after_it() {
    assertThat(Settings.ACCESS_LOG_FORMAT.envVar()).isEqualTo("NARWHAL_ACCESS_LOG_FORMAT");
    assertThat(Settings.byKey("worker-tmp-dir")).isEqualTo(Optional.of(Settings.WORKER_TMP_DIR));
  }
}
