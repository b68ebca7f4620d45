package dev.narwhal.server.internal;

import dev.narwhal.http.internal.RootCause;
import dev.narwhal.ServerStartException;
import dev.narwhal.admin.internal.AdminControls;
import dev.narwhal.admin.internal.AdminServer;
import dev.narwhal.admin.AdminTokenFile;
import dev.narwhal.admin.internal.AdminToken;
import dev.narwhal.config.BindAddress;
import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Settings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API. The admin API as the server runs it ({@code admin-bind}): the bound
 * {@link AdminServer} and, when no {@code admin-token} is configured, the token file written for
 * {@code narwhal ctl}, removed again when the server stops. {@link #OFF} when admin-bind is off.
 */
public final class AdminEndpoint {
  /** admin-bind = off: nothing bound, nothing to release. */
  public static final AdminEndpoint OFF = new AdminEndpoint(null, null, null);
  private static final Logger log = LoggerFactory.getLogger("narwhal");
  /** How long a stopping server lets admin responses in flight reach their clients. */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

  private final AdminServer admin;
  private final InetSocketAddress address;
  private final Path tokenFile;

  private AdminEndpoint(AdminServer admin, InetSocketAddress address, Path tokenFile) {
    this.admin = admin;
    this.address = address;
    this.tokenFile = tokenFile;
  }

  /**
   * Binds the admin API and writes a fresh token, where only this user can read it, unless one is
   * configured. Binding failure stops the start like any bind failure: a second server silently
   * without its admin API would let {@code narwhal ctl} talk to the first one.
   */
  public static AdminEndpoint start(ServerConfig config, ActorSystem<?> system, AdminControls controls)
      throws ServerStartException {
    Optional<BindAddress> at = config.get(Settings.ADMIN_BIND);
    if (at.isEmpty()) {
      return OFF;
    }
    String configured = config.get(Settings.ADMIN_TOKEN);
    String token = configured.isBlank() ? AdminToken.generate() : configured.strip();
    List<String> allowedHosts = new ArrayList<>(config.get(Settings.ADMIN_ALLOWED_HOSTS));
    // the bind's own name (admin.internal:9191) is how its clients reach it; IP literals pass anyway
    allowedHosts.add(at.get().host().toLowerCase(Locale.ROOT));
    AdminServer admin = new AdminServer(controls, token, config.get(Settings.ADMIN_READ_AUTH), allowedHosts);
    InetSocketAddress address;
    try {
      address = admin.bind(system, at.get()).toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      admin.close();
      throw new ServerStartException("Cannot listen at " + at.get() + " (admin-bind): " + RootCause.message(e)
          + "; give another --admin-bind, or off", 1);
    } catch (TimeoutException | InterruptedException e) {
      admin.close();
      throw new ServerStartException("Binding " + at.get() + " (admin-bind) did not complete", 1);
    }
    if (!configured.isBlank()) {
      return new AdminEndpoint(admin, address, null);
    }
    Optional<Path> chosen = config.get(Settings.ADMIN_TOKEN_FILE);
    Path file = chosen.orElseGet(() -> AdminTokenFile.defaultFile(address.getPort(), System.getenv()));
    try {
      AdminTokenFile.write(file, token, chosen.isPresent());
    } catch (IOException e) {
      admin.close();
      throw new ServerStartException("Cannot write the admin token to " + file + ": " + e.getMessage(), 1);
    }
    return new AdminEndpoint(admin, address, file);
  }

  /** Where the admin API listens (the real port when admin-bind asked for port 0); empty when off. */
  public Optional<InetSocketAddress> address() {
    return Optional.ofNullable(address);
  }

  /** The token file this server wrote; empty when admin-token was given, or the admin API is off. */
  public Optional<Path> tokenFile() {
    return Optional.ofNullable(tokenFile);
  }

  public void logStarted() {
    if (address != null) {
      log.info("Admin API at: http://{}:{} (dashboard /, /metrics, /stats, /health/ready; control token {})",
          address.getHostString(), address.getPort(),
          tokenFile == null ? "from admin-token" : "in " + tokenFile.toAbsolutePath());
    }
  }

  /** Closes the admin API's connections (bounded), so the reply to a ctl stop is not cut off. */
  public CompletionStage<Void> closeConnections() {
    if (admin == null) {
      return CompletableFuture.completedFuture(null);
    }
    // Pekko's own deadline bounds this already; the extra second only guards against it never completing
    return admin.terminate(CLOSE_WAIT).toCompletableFuture()
        .completeOnTimeout(null, CLOSE_WAIT.plusSeconds(1).toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Stops the admin's control thread and removes a token file we wrote. */
  public void release() {
    if (admin != null) {
      admin.close();
    }
    if (tokenFile != null) {
      try {
        Files.deleteIfExists(tokenFile);
      } catch (IOException e) {
        log.warn("Could not remove the admin token file {}: {}", tokenFile, e.getMessage());
      }
    }
  }
}
