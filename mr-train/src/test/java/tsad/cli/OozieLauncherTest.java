package tsad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What an Oozie java action sees of a tsad command: its own error line as the failure's message, stderr kept. */
class OozieLauncherTest {
  /** Runs {@code command} under the launcher with stderr captured; returns what reached stderr. */
  private static String underLauncher(java.util.function.ToIntFunction<String[]> command, String... args) {
    PrintStream original = System.err;
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    System.setErr(new PrintStream(seen, true, StandardCharsets.UTF_8));
    try {
      OozieLauncher.run(command, args);
    } finally {
      PrintStream ours = System.err;
      System.setErr(original);
      ours.flush();
    }
    return seen.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aFailedCommandThrowsItsOwnErrorLineAndExitCode() {
    PrintStream before = System.err;
    OozieLauncher.ActionFailedException e = assertThrows(OozieLauncher.ActionFailedException.class,
        () -> OozieLauncher.run(args -> {
          System.err.println("WARN SomeHadoopClass - noise");
          System.err.println("tsad: error: not found: /data/2001/01/01 (input " + args[0] + ")");
          System.err.println("a line after it");
          return 1;
        }, new String[] {"prepare"}));
    assertEquals("tsad: error: not found: /data/2001/01/01 (input prepare) (exit code 1)", e.getMessage());
    assertEquals(1, e.exitCode());
    assertEquals(0, e.getStackTrace().length, "the message is the whole account");
    assertSame(before, System.err, "stderr is given back");
  }

  @Test
  void stderrStillReachesTheLaunchersLogAndSuccessReturnsZero() {
    String seen = underLauncher(args -> {
      System.err.println("tsad: warning: a constant feature");
      return 0;
    });
    assertEquals("tsad: warning: a constant feature" + System.lineSeparator(), seen);
  }

  @Test
  void theErrorLineIsFoundAfterMegabytesOfLogAndACommandWithoutOneSaysSo() {
    OozieLauncher.ActionFailedException e = assertThrows(OozieLauncher.ActionFailedException.class,
        () -> underLauncher(args -> {
          String noise = "INFO Task - progress ".repeat(40);
          for (int i = 0; i < 5_000; i++) {
            System.err.println(noise + i);
          }
          System.err.println("tsad: error: prepare job job_1 failed: writing part-r-00000: No space left on device");
          return 1;
        }));
    assertEquals("tsad: error: prepare job job_1 failed: writing part-r-00000: No space left on device (exit code 1)",
        e.getMessage());
    OozieLauncher.ActionFailedException none = assertThrows(OozieLauncher.ActionFailedException.class,
        () -> underLauncher(args -> 3));
    assertTrue(none.getMessage().equals("tsad failed without an error message (exit code 3)"), none.getMessage());
    assertEquals(3, none.exitCode());
  }
}
