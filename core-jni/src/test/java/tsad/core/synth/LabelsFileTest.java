package tsad.core.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelsFileTest {
  @TempDir Path dir;

  @Test
  void readsWhatTheGeneratorWrote() throws IOException {
    SynthGenerator g = new SynthGenerator(new SynthConfig(30, 16, 1, 0.2, 4));
    g.writeCsv(dir);
    Map<String, Boolean> labels = SynthGenerator.readLabels(dir.resolve("labels.csv"));
    Map<String, String> kinds = SynthGenerator.readKinds(dir.resolve("labels.csv"));
    List<SynthSlice> test = g.generateTest();
    assertEquals(List.copyOf(labels.keySet()), test.stream().map(SynthSlice::sliceId).toList());
    for (SynthSlice s : test) {
      assertEquals(s.isAnomaly(), labels.get(s.sliceId()));
      assertEquals(s.isAnomaly() ? s.kind().label() : "normal", kinds.get(s.sliceId()));
    }
  }

  @Test
  void toleratesBomWhitespaceAndATrailingBlankLine() throws IOException {
    Path f = write("\uFEFFslice_id,is_anomaly,kind\na, 1 ,spike\r\nb,0,normal\n\n");
    assertEquals(Map.of("a", true, "b", false), SynthGenerator.readLabels(f));
    assertEquals(Map.of("a", "spike", "b", "normal"), SynthGenerator.readKinds(f));
  }

  @Test
  void malformedFilesNameTheFileLineAndProblem() throws IOException {
    assertMalformed("", "empty, expected the header slice_id,is_anomaly,kind");
    assertMalformed("id,label\n", ":1: expected the header slice_id,is_anomaly,kind, got 'id,label'");
    assertMalformed("slice_id,is_anomaly,kind\na,1\n", ":2: expected 3 fields slice_id,is_anomaly,kind, got 2");
    assertMalformed("slice_id,is_anomaly,kind\na,0,normal\nb,yes,spike\n", ":3: is_anomaly must be 0 or 1, got 'yes'");
    assertMalformed("slice_id,is_anomaly,kind\na,1,glitch\n", ":2: unknown anomaly kind 'glitch'");
    assertMalformed("slice_id,is_anomaly,kind\na,0,spike\n", ":2: is_anomaly 0 contradicts kind 'spike'");
    assertMalformed("slice_id,is_anomaly,kind\na,1,normal\n", ":2: is_anomaly 1 contradicts kind 'normal'");
    assertMalformed("slice_id,is_anomaly,kind\na,0,normal\na,0,normal\n", ":3: slice_id 'a' appears twice");
    assertMalformed("slice_id,is_anomaly,kind\n,0,normal\n", ":2: empty slice_id");
    assertMalformed("slice_id,is_anomaly,kind\n\na,0,normal\n", ":2: expected 3 fields");
  }

  @Test
  void missingFileIsAnIoExceptionNamingIt() {
    Path missing = dir.resolve("nope.csv");
    NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> SynthGenerator.readLabels(missing));
    assertEquals(missing + ": labels file not found", e.getMessage());
  }

  private void assertMalformed(String content, String expected) throws IOException {
    Path f = write(content);
    String msg = assertThrows(IllegalArgumentException.class, () -> SynthGenerator.readKinds(f)).getMessage();
    assertTrue(msg.startsWith(f.toString()), msg);
    assertTrue(msg.contains(expected), "'" + msg + "' should contain '" + expected + "'");
  }

  private Path write(String content) throws IOException {
    Path f = Files.createTempFile(dir, "labels", ".csv");
    Files.writeString(f, content);
    return f;
  }
}
