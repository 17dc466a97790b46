package tsad.core.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import tsad.core.io.FileTrees;

/** Reads long-format CSV files (or directories of them) into time-sorted series, one per slice id. */
public final class CsvSeriesReader {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CsvSeriesReader.class);
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
      readSource(Source.of(file), bySlice, report, Long.MAX_VALUE);
    }
    if (bySlice.isEmpty()) {
      throw new DataException("no usable data rows in " + inputs + " (" + report.rowsRead() + " rows read, "
          + report.rowsRejected() + " rejected)" + (report.rowsRejected() > 0 ? ":\n" + report.format() : ""));
    }
    return build(bySlice, report, options.strict());
  }

  /**
   * Reads the first {@code maxRows} data rows of {@code sources}, in order, into time-sorted series: a sample of the
   * input to choose settings from ({@code --window auto}); a slice cut by the limit is kept as far as it was read.
   * Rejects count in {@code report}; strict options fail on the first bad row as the full read does.
   */
  public List<Series> readFirst(List<Source> sources, long maxRows, DataReport report) {
    Map<String, SeriesBuilder> bySlice = new LinkedHashMap<>();
    long left = maxRows;
    for (Source source : sources) {
      if (left <= 0) {
        break;
      }
      left -= readSource(source, bySlice, report, left);
    }
    return build(bySlice, report, false);
  }

  private static List<Series> build(Map<String, SeriesBuilder> bySlice, DataReport report, boolean strict) {
    List<Series> out = new ArrayList<>(bySlice.size());
    for (SeriesBuilder b : bySlice.values()) {
      out.add(b.build(report, strict));
    }
    return out;
  }

  /**
   * A CSV input to read: a local file, or one a Hadoop file system serves (the prepare job's driver reads its sample
   * so). A name ending in {@code .gz} is read as gzip data.
   */
  public interface Source {
    /** The name errors and the report use (a path or URI). */
    String name();

    /** Opens the raw bytes (compressed as stored). */
    InputStream open() throws IOException;

    /** A local file. */
    static Source of(Path file) {
      return new Source() {
        @Override public String name() {
          return file.toString();
        }

        @Override public InputStream open() throws IOException {
          return Files.newInputStream(file);
        }
      };
    }
  }

  /** Reads up to {@code maxRows} data rows of one source into {@code bySlice}; returns the rows read. */
  private long readSource(Source source, Map<String, SeriesBuilder> bySlice, DataReport report, long maxRows) {
    String file = source.name();
    try (InputStream raw = source.open();
         CsvLines lines = new CsvLines(file.endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw)) {
      String header = lines.next() ? Utf8.require(lines.bytes(), 0, lines.length(), file + ": header") : null;
      CsvRowParser parser = CsvRowParser.fromHeader(header, options, file);
      if (featureNames == null) {
        featureNames = parser.featureNames();
      } else if (!featureNames.equals(parser.featureNames())) {
        throw new DataException(file + ": feature columns " + parser.featureNames() + " differ from "
            + featureNames + " in the first file");
      }
      int f = featureNames.size();
      long lineNo = 1;
      while (lineNo - 1 < maxRows && lines.next()) {
        lineNo++;
        CsvRowParser.Row row = parser.parse(lines.bytes(), 0, lines.length(), lineNo, report);
        if (row != null) {
          bySlice.computeIfAbsent(row.sliceId(), id -> new SeriesBuilder(id, f)).add(row.timeMs(), row.values());
        }
      }
      return lineNo - 1;
    } catch (IOException e) {
      throw new DataException("cannot read " + file + ": " + readFailure(file, e), e);
    }
  }

  /** What a failed read means for the user: gzip's own messages ("Not in GZIP format", none at all) say too little. */
  static String readFailure(String file, IOException e) {
    boolean gz = file.endsWith(".gz");
    if (gz && e instanceof java.util.zip.ZipException) {
      return "it is named .gz but is not gzip-compressed (" + e.getMessage() + "); rename it to .csv if it is plain "
          + "text";
    }
    if (gz && e instanceof java.io.EOFException) {
      return "the gzip data ends early: the file is empty or truncated";
    }
    return String.valueOf(e.getMessage());
  }

  /**
   * Expands directories into their CSV files ({@link FileTrees#isCsvName}, sorted by name), naming on stderr what
   * else they hold; missing paths and directories without CSV files fail clearly.
   */
  public static List<Path> expand(List<Path> inputs) {
    return expand(inputs, true);
  }

  /** The files {@link #read} reads from {@code inputs}, as sources, without naming the skipped entries again. */
  public static List<Source> sources(List<Path> inputs) {
    return expand(inputs, false).stream().map(Source::of).toList();
  }

  private static List<Path> expand(List<Path> inputs, boolean warn) {
    if (inputs.isEmpty()) {
      throw new DataException("no input given");
    }
    List<Path> files = new ArrayList<>();
    for (Path p : inputs) {
      if (Files.isDirectory(p)) {
        List<Path> found = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        try (Stream<Path> s = Files.list(p)) {
          s.forEach(x -> {
            String name = x.getFileName().toString();
            if (Files.isRegularFile(x) && FileTrees.isCsvName(name)) {
              found.add(x);
            } else {
              skipped.add(Files.isDirectory(x) ? name + "/" : name);
            }
          });
        } catch (IOException e) {
          throw new DataException("cannot list directory " + p + ": " + e.getMessage(), e);
        }
        String line = FileTrees.skippedLine(p.toString(), skipped);
        if (found.isEmpty()) {
          throw new DataException("directory " + p + " holds no .csv or .csv.gz files" + (line == null ? ""
              : " (" + line + ")"));
        }
        if (line != null && warn) {
          LOG.warn(line);
        }
        found.sort(null);
        files.addAll(found);
      } else if (Files.isRegularFile(p)) {
        files.add(p);
      } else {
        throw new DataException("input " + p + " does not exist");
      }
    }
    return files;
  }
}
