package dev.narwhal.admin.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * INTERNAL API. The admin API's bearer token: generating one, and checking a request's
 * {@code Authorization} header against it. Where it is written for clients is
 * {@link dev.narwhal.admin.AdminTokenFile}.
 */
public final class AdminToken {
  private AdminToken() {}

  /** 256 random bits, URL-safe text. */
  public static String generate() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * Whether {@code authorization} is {@code Bearer TOKEN} with our token. Compared as SHA-256
   * digests: {@link MessageDigest#isEqual} is constant-time only for inputs of equal length, and
   * would tell a guesser the token's length by answering a wrong-length guess sooner.
   */
  public static boolean matches(String token, Optional<String> authorization) {
    if (authorization.isEmpty()) {
      return false;
    }
    String value = authorization.get().strip();
    if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    return MessageDigest.isEqual(sha256(value.substring(7).strip()), sha256(token));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
