package dev.narwhal.logging.internal;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.io.FileDescriptor;
import java.io.FileOutputStream;

/**
 * INTERNAL API. Logback's first configuration in the runnable jar (registered as a service by
 * dist only, so code embedding {@code Server} keeps its logback.xml): the same lines and levels as
 * logback.xml, set in code. It runs before Logback would parse logback.xml, which on a loaded
 * 2-core machine was a second of the start, spent on a configuration {@link LogSetup#apply}
 * replaces anyway.
 */
public final class CommandLogConfigurator extends ContextAwareBase implements Configurator {
  /** For the service loader. */
  public CommandLogConfigurator() {}

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    LogSetup.configureDefaults(context, new FileOutputStream(FileDescriptor.err));
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
