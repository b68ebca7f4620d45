package dev.narwhal.logging.internal;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.io.FileDescriptor;
import java.io.FileOutputStream;

/**
 * INTERNAL API. Logback's first configuration wherever the launcher is (registered as a service):
 * the command's lines and levels until {@link LogSetup#apply} has read the settings, set in code.
 * Logback's XML configuration (Joran and an XML parser) was a second of the start on a loaded
 * 2-core machine. Where the user has a configuration of their own ({@link OwnLogConfig}: a
 * logback.xml or logback-test.xml in their jar or tests, or -Dlogback.configurationFile), it
 * steps aside and Logback reads that, as without Narwhal.
 */
public final class CommandLogConfigurator extends ContextAwareBase implements Configurator {
  /** For the service loader. */
  public CommandLogConfigurator() {}

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    return configure(context, OwnLogConfig.forLogback());
  }

  /** {@code usersOwn}: the user has a configuration of their own, which Logback reads as it would anyway. */
  ExecutionStatus configure(LoggerContext context, boolean usersOwn) {
    if (usersOwn) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    LogSetup.configureDefaults(context, new FileOutputStream(FileDescriptor.err));
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
