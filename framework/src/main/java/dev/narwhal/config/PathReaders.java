package dev.narwhal.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Readers for settings that name files and directories. A relative path is resolved against
 * {@code narwhal.chdir} when that is set (the loader has already made it absolute), so that every
 * path in a config file means the same thing whatever directory Narwhal was started from.
 */
final class PathReaders {
  /** A PEM block: its label and its body (base64, after any RFC 1421 header lines such as Proc-Type). */
  private static final Pattern PEM_BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\s*((?:[^:\\r\\n-][^:\\r\\n]*:[^\\n]*\\n)*)\\s*([A-Za-z0-9+/=\\s]+?)-----END \\1-----");

  private PathReaders() {}

  /** {@code text} as a path, relative ones resolved against {@code narwhal.chdir} if it is set. */
  static Path resolve(Config config, String text) {
    Path path = Path.of(text);
    String chdir = Settings.CHDIR.path();
    if (path.isAbsolute() || !config.hasPath(chdir) || config.getString(chdir).isBlank()) {
      return path;
    }
    return Path.of(config.getString(chdir)).resolve(path).normalize();
  }

  /** {@code chdir}: empty (stay), or an existing directory. */
  static ValueReader<Optional<Path>> chdir() {
    String expected = "an existing directory, or \"\" to stay in the directory Narwhal starts in";
    return (config, path) -> {
      String text = string(config, path, expected);
      if (text.isEmpty()) {
        return Optional.empty();
      }
      Path dir = Path.of(text);
      if (!Files.isDirectory(dir)) {
        throw missing(config, path, expected, text, Files.exists(dir) ? "which is not a directory" : "which does not exist");
      }
      return Optional.of(dir);
    };
  }

  /** An existing, writable directory; empty means the JVM's temporary directory. */
  static ValueReader<Path> writableDirectory() {
    String expected = "an existing writable directory, or \"\" for the JVM's temporary directory";
    return (config, path) -> {
      String text = string(config, path, expected);
      Path dir = text.isEmpty() ? Path.of(System.getProperty("java.io.tmpdir")) : resolve(config, text);
      if (!Files.isDirectory(dir)) {
        throw missing(config, path, expected, text, Files.exists(dir) ? "which is not a directory" : "which does not exist");
      }
      if (!Files.isWritable(dir)) {
        throw missing(config, path, expected, text, "which is not writable");
      }
      return dir;
    };
  }

  /** A file Narwhal will create: empty for none, else a path whose directory exists. */
  static ValueReader<Optional<Path>> fileToCreate() {
    String expected = "a file path in an existing directory, or \"\" for none";
    return (config, path) -> {
      String text = string(config, path, expected);
      if (text.isEmpty()) {
        return Optional.empty();
      }
      Path file = resolve(config, text).toAbsolutePath();
      checkCreatable(config, path, expected, text, file);
      return Optional.of(file);
    };
  }

  /**
   * A log destination: {@code -} for the standard stream, a file (appended to, created if needed),
   * or, when {@code offAllowed}, empty for no log at all.
   */
  static ValueReader<String> logTarget(String stream, boolean offAllowed) {
    String expected = "'-' (" + stream + ") or a file path in an existing directory" + (offAllowed ? ", or \"\" for none" : "");
    return (config, path) -> {
      String text = string(config, path, expected);
      if (text.equals("-") || (offAllowed && text.isEmpty())) {
        return text;
      }
      if (text.isEmpty()) {
        throw missing(config, path, expected, text, "which is empty");
      }
      Path file = resolve(config, text).toAbsolutePath();
      checkCreatable(config, path, expected, text, file);
      return file.toString();
    };
  }

  /** A readable file (resolved against the config file's directory), or empty for none. */
  static ValueReader<Optional<Path>> readableFile(String what) {
    return readable("a readable " + what + ", or \"\" for none", file -> Optional.empty());
  }

  /**
   * A readable PEM file holding a {@code CERTIFICATE} (parsed, so a corrupt one fails here) or a
   * {@code PRIVATE KEY} (any PEM key type; checked for well-formed base64); empty for none.
   */
  static ValueReader<Optional<Path>> pem(boolean certificate) {
    String kind = certificate ? "certificate" : "private key";
    return readable("a readable PEM file with a " + kind + ", or \"\" for none",
        certificate ? PathReaders::certificateProblem : PathReaders::keyProblem);
  }

  /** A readable file, or empty for none; {@code problem} says what else is wrong with its content, if anything. */
  private static ValueReader<Optional<Path>> readable(String expected, Function<Path, Optional<String>> problem) {
    return (config, path) -> {
      String text = string(config, path, expected);
      if (text.isEmpty()) {
        return Optional.empty();
      }
      Path file = resolve(config, text);
      if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
        throw missing(config, path, expected, text, Files.exists(file) ? "which is not readable" : "which does not exist");
      }
      Optional<String> wrong = problem.apply(file);
      if (wrong.isPresent()) {
        throw missing(config, path, expected, text, wrong.get());
      }
      return Optional.of(file);
    };
  }

  /** The file's CERTIFICATE blocks, parsed; a key beside them (one file for both, as docs/settings.md allows) is not one. */
  private static Optional<String> certificateProblem(Path file) {
    try {
      StringBuilder certificates = new StringBuilder();
      Matcher block = PEM_BLOCK.matcher(Files.readString(file, StandardCharsets.ISO_8859_1));
      while (block.find()) {
        if (block.group(1).equals("CERTIFICATE")) {
          certificates.append(block.group()).append('\n');
        }
      }
      if (certificates.isEmpty()) {
        return Optional.of("which holds no PEM certificate");
      }
      CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(certificates.toString().getBytes(StandardCharsets.ISO_8859_1)));
      return Optional.empty();
    } catch (CertificateException e) {
      return Optional.of("whose certificate cannot be read (" + e.getMessage() + ")");
    } catch (IOException e) {
      return Optional.of("which cannot be read (" + e.getMessage() + ")");
    }
  }

  private static Optional<String> keyProblem(Path file) {
    try {
      Matcher block = PEM_BLOCK.matcher(Files.readString(file, StandardCharsets.ISO_8859_1));
      while (block.find()) {
        if (block.group(1).endsWith("PRIVATE KEY")) {
          // an encrypted PKCS#1 key has Proc-Type and DEK-Info lines first: the TLS check says it is encrypted
          Base64.getMimeDecoder().decode(block.group(3));
          return Optional.empty();
        }
      }
      return Optional.of("which holds no PEM private key");
    } catch (IllegalArgumentException e) {
      return Optional.of("whose private key is not valid base64");
    } catch (IOException e) {
      return Optional.of("which cannot be read (" + e.getMessage() + ")");
    }
  }

  private static void checkCreatable(Config config, String path, String expected, String text, Path file) {
    Path dir = file.getParent();
    if (Files.isDirectory(file)) {
      throw missing(config, path, expected, text, "which is a directory");
    }
    if (dir == null || !Files.isDirectory(dir)) {
      throw missing(config, path, expected, text, "whose directory does not exist");
    }
  }

  /** The value as text; HOCON null (gunicorn's None) reads as "", which means "none" where allowed. */
  private static String string(Config config, String path, String expected) {
    if (config.getIsNull(path)) {
      return "";
    }
    ConfigValue value = config.getValue(path);
    if (value.valueType() == ConfigValueType.OBJECT || value.valueType() == ConfigValueType.LIST) {
      throw ValueReader.invalid(path, value, expected, "a " + value.valueType().name().toLowerCase());
    }
    return String.valueOf(value.unwrapped()).strip();
  }

  private static SettingsException missing(Config config, String path, String expected, String text, String why) {
    if (config.getIsNull(path)) {
      return new SettingsException(path + ": expected " + expected + ", got null");
    }
    return ValueReader.invalid(path, config.getValue(path), expected, "'" + text + "', " + why);
  }
}
