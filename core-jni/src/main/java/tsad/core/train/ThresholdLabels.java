package tsad.core.train;

import java.util.List;
import java.util.Map;
import tsad.core.data.Series;
import tsad.core.window.Window;

/**
 * Labelled data to choose a model's threshold on, instead of the held-out scores' percentile: the series, their
 * windows (cut as the model's, in series order) and a label per row of each series.
 *
 * @param series the labelled series
 * @param windows their windows, a series' windows in a row, in the order of {@code series}
 * @param rowLabels per series id, whether each row is anomalous
 * @param goal best-f1, or far:R ({@link tsad.core.threshold.LabelledThreshold#checkGoal})
 * @param source where the labels came from, for provenance
 */
public record ThresholdLabels(List<Series> series, List<Window> windows, Map<String, boolean[]> rowLabels,
                              String goal, String source) {}
