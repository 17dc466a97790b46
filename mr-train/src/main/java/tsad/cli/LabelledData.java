package tsad.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tsad.core.data.CsvOptions;
import tsad.core.data.DataException;
import tsad.core.data.DataReport;
import tsad.core.data.Series;
import tsad.core.train.ThresholdLabels;
import tsad.core.window.Inputs;
import tsad.core.window.WindowSpec;

/** The labelled data {@code tsad train --threshold-labels} chooses a threshold on: CSV series and incident ranges. */
final class LabelledData {
  private LabelledData() {}

  /**
   * Reads {@code data} with the training's columns and windowing, and labels each row anomalous inside one of the
   * {@code ranges} of its series ({@code slice_id,start,end}, both ends inclusive).
   */
  static ThresholdLabels load(Path ranges, Path data, CsvOptions csv, WindowSpec spec, String goal)
      throws IOException {
    Map<String, List<long[]>> byId = RowEvaluation.ranges(ranges);
    Inputs.Loaded in = Inputs.read(List.of(data), csv, spec, new DataReport());
    Map<String, boolean[]> labels = new HashMap<>();
    long anomalous = 0;
    for (Series s : in.series()) {
      List<long[]> own = byId.getOrDefault(s.id(), List.of());
      boolean[] y = new boolean[s.length()];
      for (int i = 0; i < y.length; i++) {
        y[i] = RowEvaluation.inRange(own, s.timesMs()[i]);
        anomalous += y[i] ? 1 : 0;
      }
      labels.put(s.id(), y);
    }
    if (anomalous == 0) {
      throw new DataException("--threshold-labels: no row of " + data + " lies in a range of " + ranges
          + " (do the slice ids and times match?)");
    }
    return new ThresholdLabels(in.series(), in.windows(), labels, goal, ranges + " on " + data);
  }
}
