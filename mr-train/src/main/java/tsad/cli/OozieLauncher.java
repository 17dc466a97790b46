package tsad.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.ToIntFunction;

/**
 * Runs tsad as an Oozie java action. Oozie reports a main that calls {@code System.exit(1)} only as
 * "Main Class [tsad.Main], exit code [1]", which is what {@code wf:errorMessage} and the workflow's kill message
 * would show; a main that throws is reported with the exception's message. So a failed command throws
 * {@link ActionFailedException} carrying tsad's own one-line error (as printed on stderr) and its exit code.
 */
public final class OozieLauncher {
  /** The system property Oozie's launcher sets for the action's main (the action configuration file). */
  public static final String PROPERTY = "oozie.action.conf.xml";
  /** How much of stderr is kept to find the error line: the end of it, where the error is printed. */
  private static final int KEEP = 64 * 1024;

  private OozieLauncher() {}

  /** Whether this JVM runs a main on behalf of an Oozie launcher. */
  public static boolean active() {
    return System.getProperty(PROPERTY) != null;
  }

  /**
   * Runs {@code command} on {@code args} with stderr still printed (the launcher's log keeps it) and also kept;
   * returns 0, or throws {@link ActionFailedException} with the last "tsad: ..." line of stderr and the exit code.
   */
  public static int run(ToIntFunction<String[]> command, String[] args) {
    PrintStream original = System.err;
    Tail tail = new Tail();
    int code;
    try (PrintStream tee = new PrintStream(new Tee(original, tail), true, StandardCharsets.UTF_8)) {
      System.setErr(tee);
      try {
        code = command.applyAsInt(args);
      } finally {
        tee.flush();
        System.setErr(original);
      }
    }
    if (code != 0) {
      throw new ActionFailedException(errorLine(tail.text(), code), code);
    }
    return code;
  }

  /** tsad's error line in {@code stderr} (the last line starting with "tsad: "), with the exit code appended. */
  static String errorLine(String stderr, int code) {
    String line = null;
    for (String l : stderr.split("\\R")) {
      if (l.startsWith("tsad: ")) {
        line = l;
      }
    }
    return (line != null ? line : "tsad failed without an error message") + " (exit code " + code + ")";
  }

  /** A tsad command that failed under Oozie: the message is tsad's error line. */
  public static final class ActionFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    ActionFailedException(String message, int exitCode) {
      super(message);
      this.exitCode = exitCode;
    }

    /** tsad's exit code (1 input or environment, 2 usage, 3 internal). */
    public int exitCode() {
      return exitCode;
    }

    /** No stack trace: the message is the whole account, the command printed any trace itself. */
    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }

  /** The last {@value #KEEP} bytes written. */
  private static final class Tail extends OutputStream {
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

    @Override
    public synchronized void write(int b) {
      buf.write(b);
      trim();
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      buf.write(b, off, len);
      trim();
    }

    private void trim() {
      if (buf.size() > 2 * KEEP) {
        byte[] all = buf.toByteArray();
        buf.reset();
        buf.write(all, all.length - KEEP, KEEP);
      }
    }

    synchronized String text() {
      return buf.toString(StandardCharsets.UTF_8);
    }
  }

  /** Writes to both streams. */
  private static final class Tee extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    Tee(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int x) throws IOException {
      a.write(x);
      b.write(x);
    }

    @Override
    public void write(byte[] x, int off, int len) throws IOException {
      a.write(x, off, len);
      b.write(x, off, len);
    }

    @Override
    public void flush() throws IOException {
      a.flush();
    }
  }
}
