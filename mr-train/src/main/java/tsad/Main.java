package tsad;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import tsad.cli.BenchCommand;
import tsad.cli.DriftCommand;
import tsad.cli.EvaluateCommand;
import tsad.cli.ModelsCommand;
import tsad.cli.PrepareCommand;
import tsad.cli.ScoreCommand;
import tsad.cli.SynthCommand;
import tsad.cli.TrainCommand;
import tsad.core.data.DataException;

/** The tsad command line: {@code tsad synth|train|score ...}; exit 0 on success, non-zero with a one-line reason. */
@Command(name = "tsad", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Anomaly detection for time series with deep autoencoders (libtorch), on Hadoop.",
    footer = {"", "MapReduce (they also take Hadoop's generic options: -D k=v, -conf, -files, -libjars, ...):",
        "  tsad prepare --help          CSV -> windows (SequenceFiles), rejects quarantined",
        "  tsad score --mapreduce --help  score prepared windows or CSV as a MapReduce job"},
    subcommands = {SynthCommand.class, TrainCommand.class, ScoreCommand.class, PrepareCommand.class,
        EvaluateCommand.class, ModelsCommand.class,
        DriftCommand.class, BenchCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  /** Exit code for bad input, options or models: the message says what to fix. */
  public static final int EXIT_USER_ERROR = 1;
  /** Exit code for a command line that does not parse. */
  public static final int EXIT_USAGE = 2;
  /** Exit code for an unexpected internal failure (a bug: the stack trace is printed). */
  public static final int EXIT_INTERNAL = 3;

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  /** Runs the command line and returns the exit code (tests call this instead of {@link #main}). */
  public static int run(String... args) {
    return execute(new CommandLine(new Main()), args);
  }

  /**
   * The one-line account of a failure outside tsad (a cluster or server that does not answer, a path the user may
   * not read or that is gone), or null for a failure of tsad's own, which gets a stack trace.
   */
  static String environmentError(Throwable ex) {
    for (Throwable t = ex; t != null; t = t.getCause()) {
      if (t instanceof java.net.ConnectException || t instanceof java.net.UnknownHostException
          || t instanceof java.net.NoRouteToHostException || t instanceof java.net.SocketTimeoutException) {
        return t.getMessage() + " (is the cluster up? Its addresses come from HADOOP_CONF_DIR or -D, e.g. "
            + "yarn.resourcemanager.address, fs.defaultFS)";
      }
      if (t instanceof org.apache.hadoop.security.AccessControlException
          || t instanceof java.nio.file.AccessDeniedException) {
        return "permission denied: " + t.getMessage();
      }
      if (t instanceof java.io.FileNotFoundException || t instanceof java.nio.file.NoSuchFileException) {
        return "not found: " + t.getMessage();
      }
      if (t instanceof java.nio.file.FileSystemException f) {
        // "PATH: Read-only file system", "PATH: is a directory", "FILE is in the way: it is a file, ..."
        String why = tsad.core.io.AtomicFiles.reason(f);
        return f.getFile() == null || why.startsWith(f.getFile()) ? why : f.getFile() + ": " + why;
      }
      if (storageRefused(t)) {
        return t.getMessage();
      }
    }
    return null;
  }

  /**
   * Whether an I/O error is a full disk, an exceeded quota or a read-only file system: Java reports them as a plain
   * IOException whose message is the system's text.
   */
  static boolean storageRefused(Throwable t) {
    String m = t.getMessage();
    return t instanceof java.io.IOException && m != null && (m.contains("No space left on device")
        || m.contains("Disk quota exceeded") || m.contains("Read-only file system"));
  }

  /** Executes a command with tsad's exit codes and one-line errors. */
  public static int execute(CommandLine cl, String... args) {
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      PrintWriter err = cmd.getErr();
      // tsad's own message first: it says what tsad was doing, which the environment's cause under it does not.
      String oneLine = ex instanceof DataException ? ex.getMessage() : environmentError(ex);
      if (oneLine != null) {
        err.println("tsad: error: " + oneLine);
        err.flush();
        return EXIT_USER_ERROR;
      }
      err.println("tsad: internal error: " + ex);
      ex.printStackTrace(err);
      err.flush();
      return EXIT_INTERNAL;
    });
    cl.setParameterExceptionHandler((ex, parsed) -> {
      PrintWriter err = ex.getCommandLine().getErr();
      err.println("tsad: " + ex.getMessage() + " (see '" + ex.getCommandLine().getCommandSpec().qualifiedName()
          + " --help')");
      err.flush();
      return EXIT_USAGE;
    });
    try {
      return cl.execute(args);
    } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
      System.err.println("tsad: error: " + linkFailure(e));
      return EXIT_USER_ERROR;
    } catch (OutOfMemoryError e) {
      return outOfMemory(e);
    }
  }

  /**
   * Says what running out of heap means for the user (picocli passes Errors on, so it would be a raw trace) and
   * returns the exit code.
   */
  static int outOfMemory(OutOfMemoryError e) {
    System.err.println("tsad: error: out of memory (" + e.getMessage() + "): this input needs more heap than the JVM "
        + "has; give it more with TSAD_JAVA_OPTS=-Xmx8g (scripts/tsad's default is -Xmx4g), or use the MapReduce jobs "
        + "(tsad prepare, tsad score --mapreduce), which stream their input");
    return EXIT_USER_ERROR;
  }

  /**
   * Says what a failed link means: libtorch that could not load (e.g. a GPU build on a machine without CUDA), or,
   * for any other missing class, a class path that lacks a library or puts an older version of it first.
   */
  static String linkFailure(LinkageError e) {
    String missing = String.valueOf(e.getMessage());
    if (e instanceof NoClassDefFoundError && !missing.contains("bytedeco")) {
      return "a class is missing from the class path: " + missing.replace('/', '.') + " (a library tsad needs is "
          + "absent, or an older version of it comes first on the class path)";
    }
    return tsad.core.model.TorchRuntime.describeLoadFailure(e);
  }

  /**
   * Entry point. Under an Oozie launcher a failure is thrown rather than exited with, so that the workflow's error
   * message is tsad's one-line error ({@link tsad.cli.OozieLauncher}).
   */
  public static void main(String[] args) {
    if (tsad.cli.OozieLauncher.active()) {
      System.exit(tsad.cli.OozieLauncher.run(Main::run, args));
    }
    System.exit(run(args));
  }

  /** Prints tsad's and libtorch presets' versions. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"tsad " + tsad.core.model.Versions.TSAD};
    }
  }
}
