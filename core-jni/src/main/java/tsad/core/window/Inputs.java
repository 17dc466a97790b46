package tsad.core.window;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tsad.core.data.CsvOptions;
import tsad.core.data.CsvSeriesReader;
import tsad.core.data.DataException;
import tsad.core.data.DataReport;
import tsad.core.data.Series;
import tsad.core.data.SliceSample;
import tsad.proto.DataSpec;
import tsad.proto.GapPolicy;
import tsad.proto.WindowMode;

/** Reads CSV into windows and converts between the stored {@link DataSpec} and the reader/builder options. */
public final class Inputs {
  /**
   * Windows read from CSV, with the feature names in model order, and the series that gave them (in the windows'
   * order; empty where the windows came from elsewhere).
   */
  public record Loaded(List<Window> windows, List<String> featureNames, List<Series> series) {
    /** Windows without their series. */
    public Loaded(List<Window> windows, List<String> featureNames) {
      this(windows, featureNames, List.of());
    }
  }

  private Inputs() {}

  /**
   * Reads CSV files, groups and sorts slices, and cuts windows, counting everything in {@code report}; in strict mode
   * ({@link CsvOptions#strict}) the first bad row or slice fails instead.
   */
  public static Loaded read(List<Path> inputs, CsvOptions csv, WindowSpec spec, DataReport report) {
    return read(inputs, csv, spec, report, SliceSample.ALL);
  }

  /** The same, keeping the windows of the slices in {@code sample} (the others are counted as left out). */
  public static Loaded read(List<Path> inputs, CsvOptions csv, WindowSpec spec, DataReport report,
      SliceSample sample) {
    CsvSeriesReader reader = new CsvSeriesReader(csv);
    List<Series> series = reader.read(inputs, report);
    WindowBuilder builder = new WindowBuilder(spec);
    if (csv.strict()) {
      builder = builder.strict(inputs.size() == 1 ? inputs.get(0).toString() : inputs.toString());
    }
    List<List<Window>> kept = new ArrayList<>();
    List<Series> windowed = new ArrayList<>();
    for (Series s : series) {
      List<Window> w = builder.build(s, report);
      if (w.isEmpty() || sample.keep(s.id())) {
        kept.add(w);
        if (!w.isEmpty()) {
          windowed.add(s);
        }
      } else {
        report.sampledOut(w.size());
      }
    }
    List<Window> windows = WindowList.of(kept);
    if (windows.isEmpty()) {
      throw new DataException("no usable windows in " + inputs + ":\n" + report.format());
    }
    return new Loaded(windows, reader.featureNames(), windowed);
  }

  /**
   * The stored description of how data was read and windowed; the gap handling only in window mode, the mode it
   * applies to (a slice-mode spec reads back as ignoring gaps, which is what slice mode does).
   */
  public static DataSpec dataSpec(CsvOptions csv, WindowSpec spec, List<String> featureNames) {
    DataSpec.Builder b = DataSpec.newBuilder().setSliceColumn(csv.sliceColumn()).setTimeColumn(csv.timeColumn())
        .addAllFeatureColumns(featureNames).setTimeFormat(csv.timeFormat()).setMode(spec.mode())
        .setWindowLength(spec.length()).setStride(spec.stride()).setLengthPolicy(spec.policy());
    if (spec.mode() == WindowMode.WINDOW) {
      b.setGapPolicy(spec.gapPolicy()).setMaxGap(spec.maxGap());
    }
    return b.build();
  }

  /** CSV options that read data the way the model was trained. */
  public static CsvOptions csvOptions(DataSpec d, boolean strict) {
    return new CsvOptions(d.getSliceColumn(), d.getTimeColumn(), d.getFeatureColumnsList(), d.getTimeFormat(),
        strict);
  }

  /**
   * The window spec the model was trained (or the data prepared) with. A spec without a gap policy (a bundle or
   * prepared data from before gap policies) keeps what it meant then: gaps ignored.
   */
  public static WindowSpec windowSpec(DataSpec d) {
    boolean old = d.getGapPolicy() == GapPolicy.GAP_POLICY_UNSPECIFIED;
    return new WindowSpec(d.getMode(), d.getWindowLength(), d.getStride(), d.getLengthPolicy(),
        old ? GapPolicy.GAP_IGNORE : d.getGapPolicy(), d.getMaxGap() == 0 ? WindowSpec.DEFAULT_MAX_GAP : d.getMaxGap());
  }
}
