package tsad.core.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/** Reads long-format CSV files (or directories of them) into time-sorted series, one per slice id. */
public final class CsvSeriesReader {
  private final CsvOptions options;
  private List<String> featureNames;

  /** Creates a reader with the given column and strictness options. */
  public CsvSeriesReader(CsvOptions options) {
    this.options = options;
  }

  /** Feature column names of the last read (model order). */
  public List<String> featureNames() {
    return featureNames;
  }

  /** Reads every input file, groups rows by slice, sorts each slice by time and counts all rejects. */
  public List<Series> read(List<Path> inputs, DataReport report) {
    List<Path> files = expand(inputs);
    report.source(String.join(",", inputs.stream().map(Path::toString).toList()));
    Map<String, SeriesBuilder> bySlice = new LinkedHashMap<>();
    for (Path file : files) {
      readFile(file, bySlice, report);
    }
    if (bySlice.isEmpty()) {
      throw new DataException("no usable data rows in " + inputs + " (" + report.rowsRead() + " rows read, "
          + report.rowsRejected() + " rejected)" + (report.rowsRejected() > 0 ? ":\n" + report.format() : ""));
    }
    List<Series> out = new ArrayList<>(bySlice.size());
    for (SeriesBuilder b : bySlice.values()) {
      out.add(b.build(report, options.strict()));
    }
    return out;
  }

  private void readFile(Path file, Map<String, SeriesBuilder> bySlice, DataReport report) {
    try (InputStream raw = Files.newInputStream(file);
         InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
         BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
      CsvRowParser parser = CsvRowParser.fromHeader(r.readLine(), options, file.toString());
      if (featureNames == null) {
        featureNames = parser.featureNames();
      } else if (!featureNames.equals(parser.featureNames())) {
        throw new DataException(file + ": feature columns " + parser.featureNames() + " differ from "
            + featureNames + " in the first file");
      }
      int f = featureNames.size();
      String line;
      long lineNo = 1;
      while ((line = r.readLine()) != null) {
        lineNo++;
        CsvRowParser.Row row = parser.parse(line, lineNo, report);
        if (row != null) {
          bySlice.computeIfAbsent(row.sliceId(), id -> new SeriesBuilder(id, f)).add(row.timeMs(), row.values());
        }
      }
    } catch (IOException e) {
      throw new DataException("cannot read " + file + ": " + readFailure(file, e), e);
    }
  }

  /** What a failed read means for the user: gzip's own messages ("Not in GZIP format", none at all) say too little. */
  static String readFailure(Path file, IOException e) {
    boolean gz = file.toString().endsWith(".gz");
    if (gz && e instanceof java.util.zip.ZipException) {
      return "it is named .gz but is not gzip-compressed (" + e.getMessage() + "); rename it to .csv if it is plain "
          + "text";
    }
    if (gz && e instanceof java.io.EOFException) {
      return "the gzip data ends early: the file is empty or truncated";
    }
    return String.valueOf(e.getMessage());
  }

  /** Expands directories into their *.csv / *.csv.gz files (sorted by name); missing paths fail clearly. */
  public static List<Path> expand(List<Path> inputs) {
    if (inputs.isEmpty()) {
      throw new DataException("no input given");
    }
    List<Path> files = new ArrayList<>();
    for (Path p : inputs) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.list(p)) {
          List<Path> found = s.filter(x -> x.toString().endsWith(".csv") || x.toString().endsWith(".csv.gz"))
              .sorted().toList();
          if (found.isEmpty()) {
            throw new DataException("directory " + p + " holds no .csv or .csv.gz files");
          }
          files.addAll(found);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      } else if (Files.isRegularFile(p)) {
        files.add(p);
      } else {
        throw new DataException("input " + p + " does not exist");
      }
    }
    return files;
  }
}
