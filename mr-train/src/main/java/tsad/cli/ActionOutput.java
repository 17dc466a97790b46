package tsad.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Oozie's capture-output for java actions: when the launcher sets the system property
 * {@value #PROPERTY}, the command's key figures are written there as a properties file, so the workflow
 * can read them with {@code ${wf:actionData('ACTION')['KEY']}} (e.g. in a decision node).
 */
public final class ActionOutput {
  /** The system property Oozie's java action launcher sets to the file it reads back. */
  public static final String PROPERTY = "oozie.action.output.properties";

  private ActionOutput() {}

  /** Writes the values when running as an Oozie java action with capture-output; does nothing otherwise. */
  public static void write(Map<String, String> values) {
    String file = System.getProperty(PROPERTY);
    if (file == null || file.isBlank()) {
      return;
    }
    Properties p = new Properties();
    p.putAll(values);
    try (Writer w = Files.newBufferedWriter(Path.of(file), StandardCharsets.UTF_8)) {
      p.store(w, "tsad");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the Oozie action output to " + file, e);
    }
  }
}
