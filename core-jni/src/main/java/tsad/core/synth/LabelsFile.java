package tsad.core.synth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads and checks labels.csv ({@code slice_id,is_anomaly,kind}), the ground truth the quality tests score against. */
final class LabelsFile {
  static final String HEADER = "slice_id,is_anomaly,kind";
  static final String NORMAL = "normal";

  private LabelsFile() {}

  /** Slice id to is-anomaly, in file order. */
  static Map<String, Boolean> readLabels(Path file) throws IOException {
    Map<String, Boolean> out = new LinkedHashMap<>();
    read(file).forEach((id, kind) -> out.put(id, !kind.equals(NORMAL)));
    return out;
  }

  /** Slice id to kind label ({@code normal} or an anomaly label), in file order. */
  static Map<String, String> readKinds(Path file) throws IOException {
    return read(file);
  }

  /** Slice id to kind label, in file order, after checking every row. */
  private static Map<String, String> read(Path file) throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(file.toString(), null, "labels file not found");
    }
    if (lines.isEmpty()) {
      throw new IllegalArgumentException(file + ": empty, expected the header " + HEADER);
    }
    // Tolerate a byte-order mark, which spreadsheet tools add when a labels file is edited by hand.
    String header = lines.get(0).replace("\uFEFF", "").trim();
    if (!header.equals(HEADER)) {
      throw new IllegalArgumentException(file + ":1: expected the header " + HEADER + ", got '" + header + "'");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank() && i == lines.size() - 1) {
        break;
      }
      String where = file + ":" + (i + 1) + ": ";
      String[] f = line.split(",", -1);
      if (f.length != 3) {
        throw new IllegalArgumentException(where + "expected 3 fields slice_id,is_anomaly,kind, got " + f.length
            + " in '" + line + "'");
      }
      String id = f[0].trim();
      String flag = f[1].trim();
      String kind = f[2].trim();
      if (id.isEmpty()) {
        throw new IllegalArgumentException(where + "empty slice_id");
      }
      if (!flag.equals("0") && !flag.equals("1")) {
        throw new IllegalArgumentException(where + "is_anomaly must be 0 or 1, got '" + flag + "'");
      }
      if (!kind.equals(NORMAL)) {
        try {
          AnomalyKind.fromLabel(kind);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(where + e.getMessage() + " or normal", e);
        }
      }
      if (flag.equals("1") == kind.equals(NORMAL)) {
        throw new IllegalArgumentException(where + "is_anomaly " + flag + " contradicts kind '" + kind + "'");
      }
      if (out.put(id, kind) != null) {
        throw new IllegalArgumentException(where + "slice_id '" + id + "' appears twice");
      }
    }
    return out;
  }
}
