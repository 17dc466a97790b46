package tsad.mr;

/**
 * Every configuration key tsad's MapReduce jobs read, in one place (as Hadoop's TeraSortConfigKeys): what the
 * client sets for its tasks, and the settings a user gives a job run as a plain {@code Tool} ({@code -D KEY=VALUE}).
 */
public final class JobKeys {
  private JobKeys() {}

  // Settings of the prepare job when it runs as a Tool (the CLI passes them as a typed request instead).
  /** Steps per window (slice mode: the expected slice length); default 64. */
  public static final String WINDOW = "tsad.window.length";
  /** Steps between window starts in window mode; default half the window. */
  public static final String STRIDE = "tsad.window.stride";
  /** slice or window; default slice. */
  public static final String MODE = "tsad.window.mode";
  /** reject, truncate or pad; default reject. */
  public static final String LENGTH_POLICY = "tsad.length.policy";
  /** Window mode: split, reject or ignore time gaps; default split. */
  public static final String GAP_POLICY = "tsad.window.gap.policy";
  /** Window mode: a step over this many median steps is a time gap; default 3. */
  public static final String MAX_GAP = "tsad.window.max.gap";
  /** The slice id column; default slice_id. */
  public static final String SLICE_COLUMN = "tsad.csv.slice.column";
  /** The time column; default time. */
  public static final String TIME_COLUMN = "tsad.csv.time.column";
  /** Feature columns, comma-separated; default value if present, else every other column. */
  public static final String FEATURES = "tsad.csv.features";
  /** auto, iso, epoch-s or epoch-ms; default auto. */
  public static final String TIME_FORMAT = "tsad.csv.time.format";
  /** Fail on the first bad row or slice instead of quarantining it (also read by the tasks); default false. */
  public static final String STRICT = "tsad.strict";

  // Settings of the score job when it runs as a Tool.
  /** MLflow tracking URI for models:/ references; default $MLFLOW_TRACKING_URI (the Hive functions' key too). */
  public static final String TRACKING_URI = "tsad.mlflow.tracking.uri";
  /** Local cache of downloaded models; default $TSAD_CACHE_DIR or ~/.cache/tsad/models (the Hive key too). */
  public static final String CACHE_DIR = "tsad.cache.dir";

  // What the clients set for the tasks.
  /** The CSV header line of the prepare job's input. */
  static final String HEADER = "tsad.csv.header";
  /** The prepare job's DataSpec, protobuf in Base64. */
  static final String SPEC = "tsad.data.spec";
  /** The prepare job's input as the user named it, for messages about a slice (which can span files). */
  static final String SOURCE = "tsad.prepare.source";
  /** The prepare job's input files in file order, one per line: a row's file is keyed by its rank here. */
  static final String FILES = "tsad.prepare.files";
  /** The model reference as the user gave it (for messages). */
  static final String MODEL = "tsad.model.uri";
  /** The registered model's name, empty for a bundle path. */
  static final String MODEL_NAME = "tsad.model.name";
  /** The registered model's version, empty for a bundle path. */
  static final String MODEL_VERSION = "tsad.model.version";
  /** Windows per forward pass in the score tasks (and the records of a score input split). */
  public static final String BATCH = "tsad.score.batch";
  /** libtorch threads per score task. */
  public static final String THREADS = "tsad.score.threads";
  /** jsonl or tsv. */
  public static final String FORMAT = "tsad.score.format";
  /** slice or window: what an output line stands for. */
  public static final String PER = "tsad.score.per";
  /** Test switch: the first attempt of every score task fails after writing all its output (retry tests). */
  static final String FAIL_FIRST_ATTEMPT = "tsad.test.fail-first-attempt";
}
