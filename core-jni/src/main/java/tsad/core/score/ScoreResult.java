package tsad.core.score;

/**
 * The verdict on one window or slice.
 *
 * @param id window id (slice id in slice mode)
 * @param seriesId the slice it belongs to
 * @param startMs epoch millis of its first step
 * @param score aggregated reconstruction error
 * @param threshold the model's threshold
 * @param isAnomaly score &gt; threshold
 * @param stepErrors per-step error (mean over features), or null when details were not asked for
 * @param featureShare each feature's share of the total squared error, or null
 */
public record ScoreResult(String id, String seriesId, long startMs, double score, double threshold,
                          boolean isAnomaly, float[] stepErrors, double[] featureShare) {}
