package dev.narwhal.servlet.internal;

import java.lang.reflect.Modifier;

/** Loading and checking the class an APP name gives, with messages that say what to fix. */
final class ProviderSupport {
  private ProviderSupport() {}

  @SuppressWarnings("unchecked")
  static <T> Class<? extends T> load(String name, ClassLoader loader, Class<T> type, String what) {
    if (name.isBlank()) {
      throw new IllegalArgumentException("give a class name after the prefix, e.g. servlet:com.example.HelloServlet");
    }
    Class<?> found;
    try {
      found = Class.forName(name, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalArgumentException("no class " + name + " on the classpath");
    }
    if (!type.isAssignableFrom(found) || found.isInterface() || Modifier.isAbstract(found.getModifiers())) {
      throw new IllegalArgumentException(name + " is not " + what);
    }
    return (Class<? extends T>) found;
  }

  static void checkConstructor(Class<?> type) {
    try {
      type.getConstructor();
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException(type.getName() + " needs a public no-argument constructor");
    }
  }
}
