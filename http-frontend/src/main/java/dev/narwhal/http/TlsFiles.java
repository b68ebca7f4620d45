package dev.narwhal.http;

import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.SettingsException;
import dev.narwhal.http.internal.Tls;

/**
 * The TLS files a configuration names ({@code keyfile}, {@code certfile}, {@code ca-certs} with
 * {@code cert-reqs}), read and checked exactly as a server's start reads them: the key parsed, the
 * certificate chain parsed, the key proven to belong to the certificate. The {@code narwhal} command
 * calls this before it detaches or starts anything ({@code --check-config} too), so a bad key is a
 * config error like any other; {@code Server.start} checks the same files itself.
 */
public final class TlsFiles {
  private TlsFiles() {}

  /**
   * Reads and checks the files; nothing to do when no {@code certfile} is set (plain HTTP).
   *
   * @throws SettingsException naming the setting and its file when a file cannot be used
   */
  public static void check(ServerConfig config) {
    Tls.from(config);
  }
}
