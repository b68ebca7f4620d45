package dev.narwhal.config;

import dev.narwhal.Application;
import dev.narwhal.AsyncApplication;
import dev.narwhal.ServerHooks;
import dev.narwhal.spi.AppProvider;
import dev.narwhal.spi.SupervisionPolicy;
import dev.narwhal.spi.WorkerExtension;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Enumeration;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Turns the class names the configuration gives into factories of instances: the command line's
 * APP argument ({@link #resolve}), the {@code hooks} setting ({@link #hooks}) and
 * {@code worker-class} ({@link #workerExtension}), loaded from the {@code classpath} setting's jars
 * by a loader parented to Narwhal's own, so the application shares Narwhal's API classes. APP may
 * also be a short alias that a jar declares in {@code META-INF/narwhal/apps.properties}
 * ({@code hello=com.example.HelloApp}). What cannot be used fails with a {@link SettingsException}
 * naming the setting and what is wrong, so the {@code narwhal} command checks APP and hooks before
 * it starts anything, and a server checks worker-class the same way when it builds its pool.
 */
public final class AppResolver {
  private static final String HOOKS_HINT = "give a class implementing " + ServerHooks.class.getName();
  private static final String POLICY_HINT = "give a class implementing " + SupervisionPolicy.class.getName();
  private static final String EXTENSION_HINT = "give sync, gthread, virtual, async, or a class implementing "
      + WorkerExtension.class.getName();

  static final String ALIASES = "META-INF/narwhal/apps.properties";

  private AppResolver() {}

  /**
   * A loader over the user's classpath, parented to Narwhal's own, so the application shares
   * Narwhal's API classes (a second copy of {@code Application} would not be assignable).
   */
  private static ClassLoader loader(List<Path> classpath) {
    ClassLoader parent = AppResolver.class.getClassLoader();
    if (classpath.isEmpty()) {
      return parent;
    }
    URL[] urls = classpath.stream().map(p -> {
      try {
        return p.toAbsolutePath().toUri().toURL();
      } catch (MalformedURLException e) {
        throw new SettingsException("narwhal.classpath: cannot use " + p + ": " + e.getMessage());
      }
    }).toArray(URL[]::new);
    return new URLClassLoader("narwhal-app", urls, parent);
  }

  /** Every alias on the classpath, sorted, with its class name. */
  public static Map<String, String> aliases() {
    Map<String, String> aliases = new TreeMap<>();
    try {
      Enumeration<URL> files = AppResolver.class.getClassLoader().getResources(ALIASES);
      while (files.hasMoreElements()) {
        Properties p = new Properties();
        try (InputStream in = files.nextElement().openStream()) {
          p.load(in);
        }
        p.stringPropertyNames().forEach(name -> aliases.put(name, p.getProperty(name).strip()));
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + ALIASES, e);
    }
    return aliases;
  }

  /** {@code lead} and the short names apps have (the examples', a jar's own), or nothing when there are none. */
  public static String shortNames(String lead) {
    Map<String, String> names = aliases();
    return names.isEmpty() ? "" : lead + String.join(", ", names.keySet());
  }

  /**
   * Resolves APP to a factory that builds a new instance per call. Fails with a message naming
   * what is wrong (unknown class, not an Application, no public no-arg constructor).
   */
  public static Supplier<Application> resolve(String app, List<Path> classpath) {
    return resolve(app, classpath, null);
  }

  /** Like {@link #resolve(String, List)}, giving providers the configuration ({@code webapp:} reads it). */
  public static Supplier<Application> resolve(String app, ServerConfig config) {
    return resolve(app, config.classpath(), config);
  }

  private static Supplier<Application> resolve(String app, List<Path> classpath, ServerConfig config) {
    String className = aliases().getOrDefault(app, app);
    int colon = className.indexOf(':');
    if (colon > 0) {
      return provided(app, className.substring(0, colon), className.substring(colon + 1), loader(classpath), config);
    }
    String hint = "give a class implementing " + Application.class.getName() + shortNames(" or one of: ");
    Supplier<Application> factory = factory("APP '" + app + "'", className, Application.class, classpath, hint);
    if (config != null && config.get(Settings.WORKER_CLASS).equals("async")) {
      checkAsync(config, className, classpath);
    }
    return factory;
  }

  /** Async workers run AsyncApplications only: a plain one failed each worker's boot, five times, then exit 3. */
  private static void checkAsync(ServerConfig config, String className, List<Path> classpath) {
    try {
      if (!AsyncApplication.class.isAssignableFrom(Class.forName(className, false, loader(classpath)))) {
        throw SettingsException.at(config.source(), Settings.WORKER_CLASS.path(), "async runs "
            + AsyncApplication.class.getName() + " apps, and " + className + " is not one: use sync, gthread or "
            + "virtual, or implement handleAsync");
      }
    } catch (ClassNotFoundException | LinkageError e) {
      // factory() has just loaded it: not reached
    }
  }

  /**
   * APP {@code prefix:name}, resolved by the {@link AppProvider} for that prefix (e.g. the servlet
   * bridge's {@code servlet:} and {@code jaxrs:}), found with ServiceLoader on the user's class path.
   */
  private static Supplier<Application> provided(String app, String prefix, String name, ClassLoader loader,
      ServerConfig config) {
    List<String> known = new java.util.ArrayList<>();
    for (AppProvider provider : ServiceLoader.load(AppProvider.class, loader)) {
      if (provider.prefix().equals(prefix)) {
        try {
          return config == null ? provider.resolve(name, loader) : provider.resolve(name, loader, config.source());
        } catch (IllegalArgumentException | IllegalStateException e) {
          throw new SettingsException("APP '" + app + "': " + e.getMessage());
        }
      }
      known.add(provider.prefix() + ":");
    }
    throw new SettingsException("APP '" + app + "': no application provider for '" + prefix + ":' on the "
        + "classpath" + (known.isEmpty() ? "" : "; known prefixes: " + String.join(", ", known)));
  }

  /** The server hooks named by the {@code hooks} setting, or none. */
  public static ServerHooks hooks(ServerConfig config) {
    if (config.get(Settings.HOOKS).isBlank()) {
      return ServerHooks.NONE;
    }
    return built(config, Settings.HOOKS, named(config, Settings.HOOKS.path(), config.get(Settings.HOOKS),
        ServerHooks.class, HOOKS_HINT));
  }

  /** The supervision policy named by the {@code supervision-policy} setting, or the built-in one. */
  public static SupervisionPolicy supervisionPolicy(ServerConfig config) {
    if (config.get(Settings.SUPERVISION_POLICY).isBlank()) {
      return SupervisionPolicy.DEFAULT;
    }
    return built(config, Settings.SUPERVISION_POLICY, named(config, Settings.SUPERVISION_POLICY.path(),
        config.get(Settings.SUPERVISION_POLICY), SupervisionPolicy.class, POLICY_HINT));
  }

  /** A factory of the worker extension named by {@code worker-class}: one new instance per worker. */
  public static Supplier<WorkerExtension> workerExtension(String className, List<Path> classpath) {
    return factory(Settings.WORKER_CLASS.path() + " '" + className + "'", className, WorkerExtension.class,
        classpath, EXTENSION_HINT);
  }

  /**
   * The worker extension {@code config}'s {@code worker-class} names (a class name), or null for a
   * built-in worker class; an error names where the value came from.
   */
  public static Supplier<WorkerExtension> workerExtension(ServerConfig config) {
    String className = config.get(Settings.WORKER_CLASS);
    return className.contains(".")
        ? named(config, Settings.WORKER_CLASS.path(), className, WorkerExtension.class, EXTENSION_HINT)
        : null;
  }

  /**
   * Looks up every class the settings name besides APP (hooks, supervision policy, worker
   * extension, and each pool's own) without building any: a command checks them before it
   * detaches or starts anything, as --check-config does, and the server builds them once, in its
   * own process.
   *
   * @throws SettingsException naming the key, and its file and line, for a class that is not
   *     there, is not of its kind, or has no public no-argument constructor
   */
  public static void checkClasses(ServerConfig config) {
    if (!config.get(Settings.HOOKS).isBlank()) {
      named(config, Settings.HOOKS.path(), config.get(Settings.HOOKS), ServerHooks.class, HOOKS_HINT);
    }
    checkPoolClasses(config, config, Settings.ROOT + ".");
    for (NamedPool pool : config.get(Settings.POOLS)) {
      checkPoolClasses(config, pool.applyTo(config), Settings.POOLS.path() + "." + pool.name() + ".");
    }
  }

  /** A pool's classes, named by their keys under {@code prefix} (the pool's own keys for a named pool). */
  private static void checkPoolClasses(ServerConfig top, ServerConfig pool, String prefix) {
    String policy = pool.get(Settings.SUPERVISION_POLICY);
    if (!policy.isBlank()) {
      named(top, prefix + Settings.SUPERVISION_POLICY.key(), policy, SupervisionPolicy.class, POLICY_HINT);
    }
    String workerClass = pool.get(Settings.WORKER_CLASS);
    if (workerClass.contains(".")) {
      named(top, prefix + Settings.WORKER_CLASS.key(), workerClass, WorkerExtension.class, EXTENSION_HINT);
    }
  }

  /** The factory of {@code className}, the value at {@code path}, checked; an error says where it was set. */
  private static <T> Supplier<T> named(ServerConfig config, String path, String className, Class<T> type, String hint) {
    try {
      return factory(path + " '" + className + "'", className, type, config.classpath(), hint);
    } catch (SettingsException e) {
      throw SettingsException.located(config.source(), path, e.getMessage());
    }
  }

  /** One instance from {@code factory}; a constructor that throws is a bad setting too. */
  private static <T> T built(ServerConfig config, Setting<String> setting, Supplier<T> factory) {
    try {
      return factory.get();
    } catch (IllegalStateException e) {
      throw SettingsException.at(config.source(), setting.path(), e.getMessage());
    }
  }

  /** A factory of new instances of {@code className}, checked to be a concrete {@code type} with a no-arg constructor. */
  private static <T> Supplier<T> factory(String what, String className, Class<T> type, List<Path> classpath,
      String hint) {
    Class<?> found;
    try {
      found = Class.forName(className, false, loader(classpath));
    } catch (ClassNotFoundException e) {
      throw new SettingsException(what + ": no such class on the classpath; " + hint);
    } catch (LinkageError e) {
      throw new SettingsException(what + ": " + className + " " + missing(e));
    }
    Constructor<?> constructor;
    try {
      if (!type.isAssignableFrom(found) || found.isInterface() || Modifier.isAbstract(found.getModifiers())) {
        throw new SettingsException(what + ": " + className + " does not implement " + type.getName());
      }
      constructor = found.getConstructor();
    } catch (NoSuchMethodException e) {
      throw new SettingsException(what + ": " + className + " needs a public no-argument constructor");
    } catch (LinkageError e) {
      // the class is there, one it is built on is not: looking at its constructors links it
      throw new SettingsException(what + ": " + className + " " + missing(e));
    }
    return () -> {
      try {
        return type.cast(constructor.newInstance());
      } catch (InvocationTargetException e) {
        throw new IllegalStateException(className + " constructor failed: " + e.getCause(), e.getCause());
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot instantiate " + className, e);
      } catch (LinkageError e) {
        throw new IllegalStateException(className + " " + missing(e));
      }
    };
  }

  /**
   * What a class's {@link LinkageError} says it lacks. The usual cause is a dependency the build
   * kept out of the jar, such as jakarta.servlet-api at scope provided (a servlet container's
   * habit; Narwhal's bridge is the container, and the API must come with the application).
   */
  private static String missing(LinkageError e) {
    if (e instanceof NoClassDefFoundError) {
      return "needs " + e.getMessage().replace('/', '.') + ", which is not on the classpath (a dependency left "
          + "out of the jar, or of scope provided?)";
    }
    return "cannot be linked: " + e;
  }
}
