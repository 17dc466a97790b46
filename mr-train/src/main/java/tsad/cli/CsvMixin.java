package tsad.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;
import tsad.core.data.CsvOptions;
import tsad.core.data.DataException;
import tsad.core.data.RejectSink;
import tsad.core.io.AtomicFiles;
import tsad.core.score.ScoreFormat;

/** Options shared by every command that reads long-format CSV. */
public final class CsvMixin {
  @Option(names = "--slice-column", paramLabel = "NAME", description = "Slice id column (default: slice_id, or the model's).")
  String sliceColumn;

  @Option(names = "--time-column", paramLabel = "NAME", description = "Time column (default: time, or the model's).")
  String timeColumn;

  @Option(names = "--features", split = ",", paramLabel = "NAME",
      description = "Feature columns, comma-separated (default: 'value' if present, else all other columns; when scoring, the model's).")
  List<String> features;

  @Option(names = "--time-format", paramLabel = "FMT",
      description = "Time format: auto (ISO-8601, or epoch numbers: >= 1e11 millis, else seconds), iso, epoch-s, epoch-ms. Default: auto.")
  String timeFormat;

  @Option(names = "--strict", description = "Fail on the first bad row, duplicate timestamp, slice of the wrong length or with a time gap it would reject, instead of counting and skipping it.")
  boolean strict;

  @Option(names = "--rejects", paramLabel = "FILE",
      description = "Write every rejected row/slice with its reason to FILE (JSON lines), so nothing is lost.")
  Path rejects;

  /** The CSV options, each unset one taken from {@code base}. */
  public CsvOptions options(CsvOptions base) {
    return new CsvOptions(sliceColumn != null ? sliceColumn : base.sliceColumn(),
        timeColumn != null ? timeColumn : base.timeColumn(),
        features != null ? features : base.featureColumns(),
        timeFormat != null ? CsvOptions.parseTimeFormat(timeFormat, "--time-format") : base.timeFormat(), strict);
  }

  /** True when any of these options was given. */
  boolean given() {
    return sliceColumn != null || timeColumn != null || features != null || timeFormat != null || strict
        || rejects != null;
  }

  /** The --rejects file, or null. */
  public Path rejectsFile() {
    return rejects;
  }

  /** A sink writing rejects to the --rejects file (JSON lines), or none; close it with {@link RejectFile#close}. */
  public RejectFile rejectFile() {
    return new RejectFile(rejects);
  }

  /**
   * The quarantine file: one JSON object per rejected record with where, reason, detail and the record. It is
   * written aside and put in place by {@link #close}, also when the read then fails (the records it holds are what
   * the user needs to see), but never when writing it failed: a full disk leaves no truncated file.
   */
  public static final class RejectFile implements RejectSink, AutoCloseable {
    private final Path path;
    private final AtomicFiles.Pending file;
    private final BufferedWriter out;
    private boolean failed;

    RejectFile(Path path) {
      this.path = path;
      try {
        file = path == null ? null : AtomicFiles.begin(path);
      } catch (IOException e) {
        throw failed(path, e);
      }
      out = file == null ? null : new BufferedWriter(new OutputStreamWriter(file.stream(), StandardCharsets.UTF_8));
    }

    @Override
    public void reject(String where, tsad.core.data.RejectReason reason, String detail, String record) {
      if (out == null) {
        return;
      }
      try {
        out.write("{\"where\":" + ScoreFormat.quote(where) + ",\"reason\":" + ScoreFormat.quote(reason.label())
            + ",\"detail\":" + ScoreFormat.quote(detail) + ",\"record\":" + ScoreFormat.quote(record) + "}\n");
      } catch (IOException e) {
        failed = true;
        throw failed(path, e);
      }
    }

    @Override
    public void close() {
      if (out == null) {
        return;
      }
      try {
        if (failed) {
          file.abandon();
          return;
        }
        out.close();
        file.commit();
      } catch (IOException e) {
        file.abandon();
        throw failed(path, e);
      }
    }

    private static DataException failed(Path path, IOException e) {
      return new DataException("cannot write --rejects file " + path + ": " + AtomicFiles.reason(e));
    }
  }
}
