package tsad.registry.tracking;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tsad.proto.EpochMetrics;
import tsad.proto.ScoreDistribution;

/** PNG plots logged with every training run (XChart, headless). */
public final class Plots {
  private Plots() {}

  /** Train and validation loss per epoch. */
  public static void lossCurves(List<EpochMetrics> history, Path png) throws IOException {
    XYChart c = new XYChartBuilder().width(800).height(450).title("Reconstruction loss").xAxisTitle("epoch")
        .yAxisTitle("MSE (scaled units)").build();
    double[] x = history.stream().mapToDouble(EpochMetrics::getEpoch).toArray();
    c.addSeries("train", x, history.stream().mapToDouble(EpochMetrics::getTrainLoss).toArray())
        .setMarker(SeriesMarkers.NONE);
    c.addSeries("validation", x, history.stream().mapToDouble(EpochMetrics::getValidationLoss).toArray())
        .setMarker(SeriesMarkers.NONE);
    c.getStyler().setYAxisLogarithmic(history.stream().allMatch(e -> e.getTrainLoss() > 0
        && e.getValidationLoss() > 0));
    BitmapEncoder.saveBitmap(c, png.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  /** Histogram of training scores with the threshold as a vertical line. */
  public static void scoreHistogram(ScoreDistribution d, double threshold, String method, Path png) throws IOException {
    XYChart c = new XYChartBuilder().width(800).height(450).title("Training scores and threshold (" + method + ")")
        .xAxisTitle("score").yAxisTitle("windows").build();
    int bins = d.getHistogramCountsCount();
    List<Double> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    double max = 1;
    for (int i = 0; i < bins; i++) {
      double lo = d.getHistogramEdges(i);
      double hi = d.getHistogramEdges(i + 1);
      double n = d.getHistogramCounts(i);
      xs.add(lo);
      ys.add(n);
      xs.add(hi);
      ys.add(n);
      max = Math.max(max, n);
    }
    XYSeries h = c.addSeries("training windows", xs, ys);
    h.setMarker(SeriesMarkers.NONE);
    h.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
    c.addSeries("threshold " + String.format(java.util.Locale.ROOT, "%.4g", threshold),
        new double[] {threshold, threshold}, new double[] {0, max}).setMarker(SeriesMarkers.NONE);
    BitmapEncoder.saveBitmap(c, png.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  /**
   * The k worst-reconstructed windows (first feature), each input against its reconstruction.
   *
   * @param ids window ids
   * @param inputs raw input values (T*F each)
   * @param recon raw reconstructions (T*F each)
   * @param scores their scores
   * @param features F
   */
  public static void worstWindows(List<String> ids, List<float[]> inputs, List<float[]> recon, double[] scores,
                                  int features, int k, Path png) throws IOException {
    List<Integer> order = IntStream.range(0, scores.length).boxed()
        .sorted(Comparator.comparingDouble((Integer i) -> -scores[i])).limit(k).toList();
    XYChart c = new XYChartBuilder().width(1000).height(140 + 110 * order.size())
        .title("Worst-reconstructed training windows (input vs reconstruction, feature 1)").xAxisTitle("step")
        .yAxisTitle("value (offset per window)").build();
    double offset = 0;
    for (int rank = 0; rank < order.size(); rank++) {
      int i = order.get(rank);
      float[] in = inputs.get(i);
      float[] out = recon.get(i);
      int t = in.length / features;
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (int s = 0; s < t; s++) {
        lo = Math.min(lo, Math.min(in[s * features], out[s * features]));
        hi = Math.max(hi, Math.max(in[s * features], out[s * features]));
      }
      double[] x = new double[t];
      double[] a = new double[t];
      double[] b = new double[t];
      for (int s = 0; s < t; s++) {
        x[s] = s;
        a[s] = in[s * features] - lo + offset;
        b[s] = out[s * features] - lo + offset;
      }
      String label = ids.get(i) + String.format(java.util.Locale.ROOT, " (score %.4g)", scores[i]);
      c.addSeries(label, x, a).setMarker(SeriesMarkers.NONE);
      c.addSeries(label + " reconstruction", x, b).setMarker(SeriesMarkers.NONE);
      offset += (hi - lo) * 1.2 + 1e-9;
    }
    BitmapEncoder.saveBitmap(c, png.toString(), BitmapEncoder.BitmapFormat.PNG);
  }
}
