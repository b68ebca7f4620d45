package dev.narwhal.ctl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.narwhal.admin.AdminTokenFile;
import dev.narwhal.config.BindAddress;
import dev.narwhal.config.ConfigLoader;
import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Settings;
import dev.narwhal.config.SettingsException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * INTERNAL API. {@code narwhal ctl}'s side of the admin API: where the server is, which token to
 * send, and one request with a terminal-ready message for every way it can fail.
 */
final class AdminClient implements AutoCloseable {
  private final String url;
  private final String adminBind;
  private final Path tokenFile;
  private final String configFile;
  private final int timeoutSeconds;
  private final Map<String, String> env;
  private final Path workDir;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  AdminClient(String url, String adminBind, Path tokenFile, String configFile, int timeoutSeconds,
      Map<String, String> env, Path workDir) {
    this.url = url;
    this.adminBind = adminBind;
    this.tokenFile = tokenFile;
    this.configFile = configFile;
    this.timeoutSeconds = timeoutSeconds;
    this.env = env;
    this.workDir = workDir;
  }

    JsonNode get(String path) {
    return parse(send(HttpRequest.newBuilder(uri(path)).GET(), false));
  }

  JsonNode post(String path) {
    return parse(send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()), true));
  }

  HttpResponse<String> send(HttpRequest.Builder request, boolean control) {
    request.timeout(Duration.ofSeconds(timeoutSeconds));
    if (control) {
      request.header("Authorization", "Bearer " + token());
    } else {
      // reads need the token only with admin-read-auth on; send it whenever there is one
      readToken().ifPresent(t -> request.header("Authorization", "Bearer " + t));
    }
    HttpRequest built = request.build();
    HttpResponse<String> response;
    try {
      response = http.send(built, HttpResponse.BodyHandlers.ofString());
      // a thread dump is allowed once a second server-wide: wait our turn once rather than fail
      if (response.statusCode() == 429 && !control) {
        long wait = response.headers().firstValueAsLong("Retry-After").orElse(1);
        Thread.sleep(Duration.ofSeconds(Math.max(1, Math.min(wait, timeoutSeconds))));
        response = http.send(built, HttpResponse.BodyHandlers.ofString());
      }
    } catch (ConnectException e) {
      throw new Ctl.CtlException("cannot reach the admin API at " + base() + ": connection refused (is the server "
          + "running, and is this its admin-bind? see --admin-bind)", 1);
    } catch (HttpTimeoutException e) {
      throw new Ctl.CtlException("the admin API at " + base() + " did not answer within " + timeoutSeconds + " s", 1);
    } catch (IOException e) {
      throw new Ctl.CtlException("talking to the admin API at " + base() + " failed: " + e, 1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Ctl.CtlException("interrupted", 1);
    }
    if (response.statusCode() >= 400) {
      String message = response.body();
      try {
        message = CtlPrinter.JSON.readTree(response.body()).path("error").asText(message);
      } catch (IOException notJson) {
        // keep the body as it is
      }
      String hint = switch (response.statusCode()) {
        case 401 -> " (token from " + tokenSource + ")";
        case 421 -> " (give --url with localhost or an IP address, or add the host to the server's admin-allowed-hosts)";
        default -> "";
      };
      throw new Ctl.CtlException(built.method() + " " + built.uri().getPath() + ": " + response.statusCode() + " "
          + message.strip() + hint, 1);
    }
    return response;
  }

  private static JsonNode parse(HttpResponse<String> response) {
    try {
      return CtlPrinter.JSON.readTree(response.body());
    } catch (IOException e) {
      throw new Ctl.CtlException("the admin API answered something other than JSON: " + e.getMessage(), 1);
    }
  }

  // ---- where, and with which token ----

  private ServerConfig serverConfig;
  private String tokenSource = "nowhere";


  /** The server's settings as the server reads them (defaults, config file, environment), no CLI. */
  private ServerConfig serverConfig() {
    if (serverConfig == null) {
      List<String> args = configFile == null ? List.of() : List.of("-c", configFile);
      try {
        serverConfig = ConfigLoader.load(args, env, workDir).config();
      } catch (SettingsException e) {
        throw new Ctl.CtlException(e.getMessage(), 2);
      }
    }
    return serverConfig;
  }

  URI uri(String pathAndQuery) {
    return URI.create(base() + pathAndQuery);
  }

  private String base() {
    if (url != null) {
      return url.replaceAll("/+$", "");
    }
    BindAddress at = adminAddress();
    String host = switch (at.host()) {
      case "0.0.0.0" -> "127.0.0.1";
      case "::", "::0" -> "::1";
      default -> at.host();
    };
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + at.port();
  }

  private BindAddress adminAddress() {
    if (adminBind != null) {
      try {
        return BindAddress.parse(adminBind);
      } catch (IllegalArgumentException e) {
        throw new Ctl.CtlException("--admin-bind: expected HOST:PORT, got '" + adminBind + "' (" + e.getMessage() + ")", 2);
      }
    }
    return serverConfig().get(Settings.ADMIN_BIND).orElseThrow(() -> new Ctl.CtlException(
        "the admin API is off in this configuration (admin-bind = off); give --admin-bind or --url", 2));
  }

  private String token() {
    try {
      if (tokenFile != null) {
        tokenSource = tokenFile.toString();
        return AdminTokenFile.read(tokenFile).orElseThrow(() -> new Ctl.CtlException("no token in " + tokenFile, 1));
      }
      String configured = serverConfig().get(Settings.ADMIN_TOKEN);
      if (!configured.isBlank()) {
        tokenSource = "admin-token (NARWHAL_ADMIN_TOKEN or the config file)";
        return configured.strip();
      }
      Optional<Path> chosen = serverConfig().get(Settings.ADMIN_TOKEN_FILE);
      Path file = chosen.orElseGet(() -> AdminTokenFile.defaultFile(adminPort(), env));
      tokenSource = file.toString();
      return AdminTokenFile.read(file).orElseThrow(() -> new Ctl.CtlException("no control token: " + file + " does not "
          + "exist (the server writes it at start unless admin-token is set); give --token-file, or set "
          + "NARWHAL_ADMIN_TOKEN", 1));
    } catch (IOException e) {
      throw new Ctl.CtlException("cannot read the control token: " + e.getMessage(), 1);
    }
  }

  /** The token if one can be found, for reads; a read without one still works while admin-read-auth is off. */
  private Optional<String> readToken() {
    try {
      return Optional.of(token());
    } catch (Ctl.CtlException none) {
      if (none.status == 2) {
        throw none;
      }
      return Optional.empty();
    }
  }

  private int adminPort() {
    if (url != null) {
      int port = URI.create(url).getPort();
      return port < 0 ? (url.startsWith("https") ? 443 : 80) : port;
    }
    return adminAddress().port();
  }

  @Override
  public void close() {
    http.close();
  }
}
