package tsad.cli;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tsad.core.bundle.Compatibility;
import tsad.core.bundle.ModelBundle;
import tsad.core.data.DataException;
import tsad.core.data.DataReport;
import tsad.core.window.Inputs;
import tsad.core.window.Window;
import tsad.mr.PreparedWindows;

/**
 * Reads the data a trained model is applied to, the way the model was trained: CSV with the bundle's
 * columns, time format and windowing (options override), or windows made by {@code tsad prepare}.
 * Shared by score, drift and the gate so they all see the same windows; as a mixin it gives drift and
 * the gate their {@code --input | --prepared} and CSV options.
 */
public final class ModelData {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ModelData.class);
  @Option(names = "--input", split = ",", paramLabel = "CSV",
      description = "Long-format CSV file(s) or directories, read as the model was trained.")
  List<Path> input;

  @Option(names = "--prepared", paramLabel = "DIR",
      description = "Instead of --input: windows made by 'tsad prepare' (local or hdfs://).")
  String prepared;

  @Mixin
  CsvMixin csv;

  /** The windows from --input or --prepared, for this model. */
  Inputs.Loaded load(ModelBundle bundle) {
    requireOne();
    return csvOrPrepared(bundle, input, prepared, csv);
  }

  /** Fails unless exactly one of --input and --prepared was given (checked before any slow work). */
  void requireOne() {
    if ((input == null) == (prepared == null)) {
      throw new DataException("give exactly one of --input CSV and --prepared DIR");
    }
  }

  /**
   * Reads CSV as the model was trained; the data report goes to stderr. Features are matched by name: {@code
   * --features} in another order than the model's are read in the model's order, other names are an error.
   */
  static Inputs.Loaded csv(ModelBundle bundle, List<Path> input, CsvMixin csv) {
    Compatibility model = Compatibility.of(bundle);
    List<String> columns;
    try {
      columns = model.columnsToRead(csv.features);
    } catch (Compatibility.Mismatch e) {
      throw new DataException("--features: " + e.getMessage() + " (name the model's columns, or leave out "
          + "--features to read them)");
    }
    DataReport report;
    Inputs.Loaded data;
    try (CsvMixin.RejectFile rejects = csv.rejectFile()) {
      report = new DataReport(rejects);
      data = Inputs.read(input, csv.options(Inputs.csvOptions(bundle.dataSpec(), false)).withFeatureColumns(columns),
          Inputs.windowSpec(bundle.dataSpec()), report);
    }
    report.format().lines().forEach(LOG::info);
    Advice.of(report, false).forEach(LOG::info);
    model.requireFeatureNames(data.featureNames(), "the input");
    return data;
  }

  /** CSV ({@code input}) if given, else prepared windows ({@code prepared}, local or hdfs://). */
  private static Inputs.Loaded csvOrPrepared(ModelBundle bundle, List<Path> input, String prepared, CsvMixin csv) {
    if (input != null) {
      return csv(bundle, input, csv);
    }
    PreparedWindows.Loaded p = PreparedWindows.load(prepared);
    Compatibility model = Compatibility.of(bundle);
    Window first = p.windows().get(0);
    model.requireWindows(first.steps(), first.features(), prepared);
    model.requireFeatureNames(p.manifest().getData().getFeatureColumnsList(), prepared);
    return new Inputs.Loaded(p.windows(), p.manifest().getData().getFeatureColumnsList());
  }
}
