package dev.narwhal.logging.internal;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Settings;
import dev.narwhal.logging.Loggers;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API. Configures Logback from the logging settings, for the narwhal command:
 * {@code errorlog}, {@code loglevel}, {@code accesslog}, {@code capture-output} and the
 * {@code proc-name} in each line, replacing the defaults {@link CommandLogConfigurator} set up. A
 * configuration of the user's own ({@code logconfig}, or a logback.xml in their jar) is used
 * instead ({@link OwnLogConfig}); anyone embedding {@code Server} configures Logback as they like.
 *
 * <p>Every appender sits behind an {@link AsyncAppender}, so a slow disk or a full pipe delays a
 * background thread, never a request; when that queue is full, lines are dropped rather than
 * blocking Pekko's threads. Files are appended to and reopened by {@link #reopen()} (SIGUSR1), so
 * logrotate can move them away.
 */
public final class LogSetup {
  static final String STDOUT_LOGGER = "narwhal.stdout";
  static final String STDERR_LOGGER = "narwhal.stderr";
  private static final int QUEUE = 8192;
  /**
   * Libraries whose INFO lines an operator does not need, heard from at WARN unless loglevel is
   * debug: Pekko (its logger started, coordinated shutdown phases), Kamon's start line ("Kanela not
   * found", in ANSI colours) and HikariCP (a pool's start and stop, once per worker and again at
   * every recycle). The reset in configure() drops the defaults' levels, so they are set here.
   */
  private static final List<String> QUIET_AT_INFO = List.of("org.apache.pekko", "kamon.Init", "com.zaxxer.hikari");

  private final List<FileAppender<ILoggingEvent>> files = new ArrayList<>();
  private final Map<String, Appender<ILoggingEvent>> byTarget = new HashMap<>();
  private final LoggerContext context;
  private final boolean named;

  private LogSetup(LoggerContext context, boolean named) {
    this.context = context;
    this.named = named;
  }

  /**
   * Configures the process's Logback from {@code config}, capturing System.out/err if asked; or,
   * with a configuration of the user's own ({@link OwnLogConfig}), from that.
   *
   * @throws dev.narwhal.config.SettingsException when the logconfig file has errors
   */
  public static LogSetup apply(ServerConfig config) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    // the real stdio, taken before capture-output replaces System.out and System.err
    OutputStream stdout = new FileOutputStream(FileDescriptor.out);
    OutputStream stderr = new FileOutputStream(FileDescriptor.err);
    LogSetup setup;
    if (OwnLogConfig.present(config)) {
      OwnLogConfig.apply(context, config); // the user's appenders: nothing here to reopen
      setup = new LogSetup(context, false);
    } else {
      setup = configure(context, config, stdout, stderr);
    }
    if (config.get(Settings.CAPTURE_OUTPUT)) {
      captureOutput(context);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(context::stop, "narwhal-log-flush"));
    return setup;
  }

  /**
   * What the command logs with until {@link #apply} has read the settings (and all along in
   * {@code ctl} and {@code config import}): the error log's lines and levels, set up in code by
   * {@link CommandLogConfigurator} so the start skips Logback's XML configuration (Joran and an
   * XML parser: about a thousand classes before {@code main}). Synchronous: a few lines at most,
   * and a command that exits at once must not lose them in a queue.
   */
  static void configureDefaults(LoggerContext context, OutputStream stderr) {
    context.putProperty(LogLayout.PID, Long.toString(ProcessHandle.current().pid()));
    LogSetup setup = new LogSetup(context, false);
    Level level = Level.toLevel(System.getProperty("narwhal.loglevel"), Level.INFO);
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(level);
    root.addAppender(setup.streamAppender(stderr));
    QUIET_AT_INFO.forEach(name -> context.getLogger(name).setLevel(quietLibraryLevel(level)));
    context.addTurboFilter(new PekkoBindFailure());
    Logger access = context.getLogger(Loggers.ACCESS);
    access.setAdditive(false);
    access.setLevel(Level.OFF); // no requests before apply() routes the access log
  }

  /** Replaces {@code context}'s configuration; {@code stdout} and {@code stderr} stand for "-". */
  static LogSetup configure(LoggerContext context, ServerConfig config, OutputStream stdout, OutputStream stderr) {
    context.reset();
    String procName = config.get(Settings.PROC_NAME);
    context.putProperty(LogLayout.PROC_NAME, procName);
    context.putProperty(LogLayout.PID, Long.toString(ProcessHandle.current().pid()));
    LogSetup setup = new LogSetup(context, !procName.isEmpty());
    Level level = level(config.get(Settings.LOGLEVEL));
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(level);
    root.addAppender(setup.appender(config.get(Settings.ERRORLOG), stderr));
    LogCounter counter = new LogCounter(java.util.Set.of(STDOUT_LOGGER, STDERR_LOGGER)); // statsd's gunicorn.log.*
    counter.setContext(context);
    counter.start();
    root.addAppender(counter);
    QUIET_AT_INFO.forEach(name -> context.getLogger(name).setLevel(quietLibraryLevel(level)));
    context.addTurboFilter(new PekkoBindFailure()); // reset() took it away
    // OSHI (Kamon's system metrics) traces every /proc and /sys file it reads at debug: 150 lines a start
    context.getLogger("oshi").setLevel(level.isGreaterOrEqual(Level.INFO) ? level : Level.INFO);
    // the application's own output is not filtered by loglevel, as gunicorn never filters it
    context.getLogger(STDOUT_LOGGER).setLevel(Level.TRACE);
    context.getLogger(STDERR_LOGGER).setLevel(Level.TRACE);
    setup.routeAccessLog(config.get(Settings.ACCESSLOG), stdout);
    return setup;
  }

  private void routeAccessLog(String target, OutputStream stdout) {
    Logger access = context.getLogger(Loggers.ACCESS);
    access.setAdditive(false);
    if (target.isEmpty()) {
      access.setLevel(Level.OFF);
      return;
    }
    access.setLevel(Level.INFO); // whatever loglevel says: the access log is not the error log
    access.addAppender(appender(target, stdout));
  }

  /** gunicorn's level names; SLF4J has nothing above ERROR, so critical is ERROR. */
  static Level level(String loglevel) {
    return switch (loglevel) {
      case "debug" -> Level.DEBUG;
      case "warning" -> Level.WARN;
      case "error", "critical" -> Level.ERROR;
      default -> Level.INFO;
    };
  }

  /**
   * The libraries of {@link #QUIET_AT_INFO} get the same level, except that their INFO lines are
   * lifecycle chatter next to Narwhal's own: they show from debug on.
   */
  static Level quietLibraryLevel(Level level) {
    return level == Level.INFO ? Level.WARN : level;
  }

  /** One asynchronous appender per destination: "-" means {@code stream}, else a file. */
  private Appender<ILoggingEvent> appender(String target, OutputStream stream) {
    String key = target.equals("-") ? "-" + System.identityHashCode(stream) : target;
    return byTarget.computeIfAbsent(key, k -> async(target.equals("-") ? streamAppender(stream) : fileAppender(target)));
  }

  private OutputStreamAppender<ILoggingEvent> streamAppender(OutputStream stream) {
    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setOutputStream(new NonClosing(stream));
    return started(appender);
  }

  private FileAppender<ILoggingEvent> fileAppender(String file) {
    FileAppender<ILoggingEvent> appender = new FileAppender<>();
    appender.setFile(file);
    appender.setAppend(true);
    files.add(appender);
    return started(appender);
  }

  private <A extends OutputStreamAppender<ILoggingEvent>> A started(A appender) {
    appender.setContext(context);
    appender.setName("narwhal-" + byTarget.size() + "-" + files.size());
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setCharset(StandardCharsets.UTF_8);
    LogLayout layout = new LogLayout(named);
    layout.setContext(context);
    layout.start();
    encoder.setLayout(layout);
    encoder.start();
    appender.setEncoder(encoder);
    appender.start();
    return appender;
  }

  private AsyncAppender async(Appender<ILoggingEvent> target) {
    AsyncAppender async = new AsyncAppender();
    async.setContext(context);
    async.setName("async-" + target.getName());
    async.setQueueSize(QUEUE);
    async.setDiscardingThreshold(0); // never drop INFO lines early: access lines are INFO
    async.setNeverBlock(true);
    async.setIncludeCallerData(false);
    async.addAppender(target);
    async.start();
    return async;
  }

  /** The application's System.out and System.err become log lines (capture-output). */
  private static void captureOutput(LoggerContext context) {
    Logger out = context.getLogger(STDOUT_LOGGER);
    Logger err = context.getLogger(STDERR_LOGGER);
    System.setOut(new PrintStream(new LineLogger(out::info), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(new LineLogger(err::error), true, StandardCharsets.UTF_8));
  }

  /** Says, when the user's own Logback configuration is in use, which one ({@link OwnLogConfig#announce}). */
  public void announce(ServerConfig config, org.slf4j.Logger log) {
    if (OwnLogConfig.present(config)) {
      OwnLogConfig.announce(config, log);
    }
  }

  /**
   * Reopens every log file under its name, for logrotate: lines written after this go to a new
   * file if the old one was moved away. Standard streams are left alone.
   */
  public void reopen() {
    for (FileAppender<ILoggingEvent> file : files) {
      try {
        file.openFile(file.getFile());
      } catch (IOException e) {
        LoggerFactory.getLogger("narwhal").error("Cannot reopen log file {}: {}", file.getFile(), e.getMessage());
      }
    }
  }

  /** Closing an appender must not close the process's stdout or stderr. */
  private static final class NonClosing extends OutputStream {
    private final OutputStream out;

    NonClosing(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}
