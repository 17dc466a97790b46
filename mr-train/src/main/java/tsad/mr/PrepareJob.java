package tsad.mr;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.conf.Configured;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.output.MultipleOutputs;
import org.apache.hadoop.util.Tool;
import tsad.core.data.CsvLines;
import tsad.core.data.CsvOptions;
import tsad.core.data.CsvRowParser;
import tsad.core.data.CsvSeriesReader;
import tsad.core.data.DataException;
import tsad.core.data.DataReport;
import tsad.core.data.Utf8;
import tsad.core.io.FileTrees;
import tsad.core.window.Inputs;
import tsad.core.window.WindowLength;
import tsad.core.window.WindowSpec;
import tsad.proto.DataSpec;
import tsad.proto.WindowMode;
import tsad.proto.DataSummary;
import tsad.proto.FeatureStats;
import tsad.core.scale.FeatureStatistics;
import tsad.proto.PreparedData;
import tsad.proto.PreparedLayout;
import tsad.proto.PreparedPart;

/**
 * The prepare job (a Hadoop Tool): reads long-format CSV, groups rows by slice with a secondary sort on time, cuts
 * windows with the same code as the local CLI and writes each accepted slice's cleaned series as a protobuf
 * SeriesRecord in SequenceFiles (readers cut its windows with the same builder); rejects go to OUTPUT/quarantine
 * with their reason, and every count to job counters and OUTPUT/_tsad_prepared.pb (sealed: {@link PreparedDir}).
 * {@code tsad prepare} runs it with a typed {@link Request}; as a Tool ({@code hadoop jar tsad-job.jar
 * tsad.mr.PrepareJob [-D KEY=VALUE] INPUT OUTPUT}) it takes its settings from the {@link JobKeys}.
 */
public final class PrepareJob extends Configured implements Tool {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PrepareJob.class);
  /** Name of the file describing prepared data, next to the SequenceFiles. */
  public static final String MANIFEST = "_tsad_prepared.pb";
  /** Prefix of the reduce tasks' feature-statistics files, merged into the manifest and then removed. */
  static final String STATS_PREFIX = "_tsad_stats-r-";

  /**
   * What to prepare.
   *
   * @param input CSV files, directories or Hadoop globs
   * @param output the output directory (must not exist)
   * @param csv columns, time format and strictness
   * @param spec the windowing
   * @param reducers reduce tasks, or null for the configuration's (mapreduce.job.reduces, else 1)
   * @param reportedIn for a score job's CSV step: where its report and quarantine will be kept (null: the output)
   * @param autoSpec window mode's {@code --window auto}: the spec for the length {@link WindowLength} chooses from
   *     the input (then {@code spec} only checked the options), or null for {@code spec} as given
   */
  public record Request(List<String> input, String output, CsvOptions csv, WindowSpec spec, Integer reducers,
                        Path reportedIn, IntFunction<WindowSpec> autoSpec) {
    /** A request with the windowing as given. */
    public Request(List<String> input, String output, CsvOptions csv, WindowSpec spec, Integer reducers,
        Path reportedIn) {
      this(input, output, csv, spec, reducers, reportedIn, null);
    }
  }

  /**
   * What a run did.
   *
   * @param output the qualified output directory
   * @param manifest the prepared data's manifest (spec and counts)
   * @param job the finished job (its counters)
   */
  public record Result(Path output, PreparedData manifest, Job job) {}

  /** A job with an empty configuration, for ToolRunner. */
  public PrepareJob() {}

  /** A job with {@code conf} (Hadoop's and the user's settings). */
  public PrepareJob(Configuration conf) {
    super(conf);
  }

  /** As a Tool: {@code INPUT[,INPUT...] OUTPUT}, settings from the {@link JobKeys}; exit 0 or an exception. */
  @Override
  public int run(String[] args) throws Exception {
    if (args.length != 2) {
      throw new DataException("usage: PrepareJob [generic options] INPUT[,INPUT...] OUTPUT (settings as -D "
          + JobKeys.WINDOW + "=64 ...; see JobKeys)");
    }
    run(request(getConf(), args[0], args[1]));
    return 0;
  }

  /** The request a Tool run's configuration describes. */
  static Request request(Configuration conf, String input, String output) {
    String features = conf.getTrimmed(JobKeys.FEATURES, "");
    CsvOptions csv = new CsvOptions(conf.get(JobKeys.SLICE_COLUMN, "slice_id"), conf.get(JobKeys.TIME_COLUMN, "time"),
        features.isEmpty() ? List.of() : List.of(features.split("\\s*,\\s*")),
        CsvOptions.parseTimeFormat(conf.get(JobKeys.TIME_FORMAT, "auto"), JobKeys.TIME_FORMAT),
        conf.getBoolean(JobKeys.STRICT, false));
    WindowMode mode = WindowSpec.parseMode(conf.get(JobKeys.MODE, "slice"), JobKeys.MODE);
    // The command line's rule: left out in window mode, or "auto", the length is chosen from the input.
    int given = WindowLength.setting(conf.get(JobKeys.WINDOW), mode, JobKeys.WINDOW, JobKeys.WINDOW + "=auto",
        JobKeys.MODE + "=window");
    boolean auto = given == WindowLength.AUTO;
    IntFunction<WindowSpec> spec = length -> new WindowSpec(mode, length,
        conf.getInt(JobKeys.STRIDE, Math.max(1, length / 2)),
        WindowSpec.parsePolicy(conf.get(JobKeys.LENGTH_POLICY, "reject"), JobKeys.LENGTH_POLICY),
        WindowSpec.parseGapPolicy(conf.get(JobKeys.GAP_POLICY, "split"), JobKeys.GAP_POLICY),
        conf.getDouble(JobKeys.MAX_GAP, WindowSpec.DEFAULT_MAX_GAP));
    return new Request(List.of(input.split(",")), output, csv, spec.apply(auto ? WindowLength.DEFAULT : given), null,
        null, auto ? spec : null);
  }

  /** Runs the job on {@code req} and writes its manifest; a failure is an exception naming the cause. */
  public Result run(Request req) throws IOException, InterruptedException {
    Configuration conf = new Configuration(getConf());
    MrDefaults.apply(conf);
    List<Path> files = files(conf, req.input());
    String header = firstLine(files.get(0).getFileSystem(conf), files.get(0));
    CsvOptions options = req.csv();
    CsvRowParser parser = CsvRowParser.fromHeader(header, options, files.get(0).toString());
    for (Path f : files.subList(1, files.size())) {
      if (!firstLine(f.getFileSystem(conf), f).equals(header)) {
        throw new DataException(f + ": header differs from " + files.get(0) + " (" + header + ")");
      }
    }
    DataSpec data = Inputs.dataSpec(options, req.spec(), parser.featureNames());
    if (req.autoSpec() != null) {
      // The same choice as tsad train --input on these files: from their first rows, read by the driver.
      List<CsvSeriesReader.Source> sources = new ArrayList<>();
      for (Path f : files) {
        sources.add(source(conf, f));
      }
      WindowLength.Choice choice = WindowLength.choose(sources, options);
      LOG.info("window: " + choice.describe());
      data = Inputs.dataSpec(options, req.autoSpec().apply(choice.length()), parser.featureNames()).toBuilder()
          .setWindowChoice(choice.describe()).build();
    }
    conf.set(JobKeys.HEADER, header);
    List<String> qualified = new ArrayList<>();
    for (Path f : files) {
      qualified.add(f.getFileSystem(conf).makeQualified(f).toString());
    }
    conf.set(JobKeys.FILES, String.join("\n", qualified));
    conf.set(JobKeys.SPEC, Base64.getEncoder().encodeToString(data.toByteArray()));
    conf.setBoolean(JobKeys.STRICT, options.strict());
    // Readers refuse prepared data without _SUCCESS (also Oozie's done flag), so the committer always writes it.
    conf.setBoolean(org.apache.hadoop.mapreduce.lib.output.FileOutputCommitter.SUCCESSFUL_JOB_OUTPUT_DIR_MARKER, true);

    String source = String.join(",", req.input());
    conf.set(JobKeys.SOURCE, source);
    Job job = Job.getInstance(conf, "tsad prepare " + source);
    job.setJarByClass(PrepareJob.class);
    job.setInputFormatClass(LineBatchInputFormat.class);
    for (Path f : files) {
      FileInputFormat.addInputPath(job, f);
    }
    job.setMapperClass(PrepareMapper.class);
    job.setMapOutputKeyClass(SliceTimeKey.class);
    job.setMapOutputValueClass(RowWritable.class);
    job.setPartitionerClass(SliceTimeKey.SlicePartitioner.class);
    job.setSortComparatorClass(SliceTimeKey.RawComparator.class);
    job.setGroupingComparatorClass(SliceTimeKey.SliceGroupingComparator.class);
    job.setReducerClass(PrepareReducer.class);
    if (req.reducers() != null) {
      job.setNumReduceTasks(Math.max(1, req.reducers()));
    }
    job.setOutputKeyClass(Text.class);
    job.setOutputValueClass(BytesWritable.class);
    job.setOutputFormatClass(WatchedOutputs.SequenceFiles.class);
    MultipleOutputs.addNamedOutput(job, MrReports.QUARANTINE, WatchedOutputs.Texts.class, NullWritable.class, Text.class);
    Path out = MrDefaults.newOutput(job, req.output());
    long t0 = System.nanoTime();
    DataSummary summary;
    PreparedData manifest;
    try {
      MrDefaults.run(job, "prepare");
      summary = MrReports.summary(job.getCounters(), source);
      manifest = mergeTasks(out, conf, parser.featureNames()).setData(data).setSummary(summary)
          .setLayout(PreparedLayout.SERIES).setCreatedAtMs(System.currentTimeMillis()).build();
      PreparedDir.write(out.getFileSystem(conf), out, manifest);
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      MrDefaults.removeFailed(conf, out, e);
      throw e;
    }
    for (FeatureStats f : manifest.getFeatureStatsList()) {
      LOG.info(f.getCount() == 0 ? "feature " + f.getName() + ": no values" : String.format(Locale.ROOT,
          "feature %s: %d values, mean %.6g, std %.6g, min %.6g, max %.6g", f.getName(), f.getCount(), f.getMean(),
          FeatureStatistics.std(f), f.getMin(), f.getMax()));
    }
    DataReport.of(summary).format().lines().forEach(LOG::info);
    if (summary.getRowsRead() == 0) {
      // Not an error: a scheduled run on a day without data prepares nothing, and training on it fails clearly.
      LOG.warn("the input has no data rows (header only): prepared nothing");
    }
    if (req.reportedIn() == null) {
      System.out.printf(Locale.ROOT, "prepared %d windows in %s (quarantine: %s/%s) in %.1f s%n", summary.getWindows(),
          out, out, MrReports.QUARANTINE, (System.nanoTime() - t0) / 1e9);
    } else {
      System.out.printf(Locale.ROOT, "prepared %d windows for scoring (report and quarantine: %s) in %.1f s%n",
          summary.getWindows(), req.reportedIn(), (System.nanoTime() - t0) / 1e9);
    }
    return new Result(out, manifest, job);
  }

  /**
   * Merges the reduce tasks' files (feature statistics exactly, in task order; the record of each part file, with
   * its length) and removes them.
   */
  private static PreparedData.Builder mergeTasks(Path out, Configuration conf, List<String> features)
      throws IOException {
    FileSystem fs = out.getFileSystem(conf);
    FeatureStatistics total = new FeatureStatistics(features);
    PreparedData.Builder b = PreparedData.newBuilder();
    FileStatus[] tasks = fs.globStatus(new Path(out, STATS_PREFIX + "*"));
    java.util.Arrays.sort(tasks);
    for (FileStatus st : tasks) {
      PreparedData task;
      try (var in = fs.open(st.getPath())) {
        task = PreparedData.parseFrom(in);
      }
      total.merge(task.getFeatureStatsList());
      for (PreparedPart p : task.getPartsList()) {
        b.addParts(p.toBuilder().setBytes(fs.getFileStatus(new Path(out, p.getName())).getLen()));
      }
      fs.delete(st.getPath(), false);
    }
    return b.addAllFeatureStats(total.toProto());
  }

  /**
   * The CSV files of the inputs: files, directories (their CSV files by {@link FileTrees#isCsvName}; what else they
   * hold is named in a warning) and Hadoop globs ({@code hdfs:///data/fleet/2026-11-*}, {@code data/*.csv}), each in
   * name order.
   */
  private static List<Path> files(Configuration conf, List<String> input) throws IOException {
    List<Path> out = new ArrayList<>();
    List<String> skippedLines = new ArrayList<>();
    for (String in : input) {
      Path p = new Path(in);
      FileSystem fs = p.getFileSystem(conf);
      FileStatus[] matched = fs.globStatus(p);   // a plain path matches itself, if it exists
      if (matched == null || matched.length == 0) {
        throw new DataException("input " + p + (in.matches(".*[*?\\[{].*") ? " matches nothing" : " does not exist"));
      }
      java.util.Arrays.sort(matched);
      List<Path> found = new ArrayList<>();
      for (FileStatus m : matched) {
        if (!m.isDirectory()) {
          found.add(m.getPath());
          continue;
        }
        List<Path> inDir = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (FileStatus st : fs.listStatus(m.getPath())) {
          String n = st.getPath().getName();
          if (st.isFile() && FileTrees.isCsvName(n)) {
            inDir.add(st.getPath());
          } else {
            skipped.add(st.isDirectory() ? n + "/" : n);
          }
        }
        // A local directory is named as a local path, as the local reader names it; others with their scheme.
        String shown = "file".equals(m.getPath().toUri().getScheme()) ? m.getPath().toUri().getPath()
            : m.getPath().toString();
        String line = FileTrees.skippedLine(shown, skipped);
        if (line != null) {
          skippedLines.add(line);
        }
        inDir.sort(null);
        found.addAll(inDir);
      }
      if (found.isEmpty()) {
        throw new DataException((matched.length == 1 ? "directory " + p : "input " + p) + " holds no .csv or .csv.gz "
            + "files" + (skippedLines.isEmpty() ? "" : " (" + String.join("; ", skippedLines) + ")"));
      }
      skippedLines.forEach(LOG::warn);
      skippedLines.clear();
      out.addAll(found);
    }
    return out;
  }

  /** A file of a Hadoop file system as a source for the local reader's sample. */
  private static CsvSeriesReader.Source source(Configuration conf, Path f) {
    return new CsvSeriesReader.Source() {
      @Override public String name() {
        return f.toString();
      }

      @Override public InputStream open() throws IOException {
        return f.getFileSystem(conf).open(f);
      }
    };
  }

  private static String firstLine(FileSystem fs, Path p) throws IOException {
    if (p.getName().endsWith(".gz") && fs.getFileStatus(p).getLen() == 0) {
      throw new DataException(p + ": an empty file, not gzip data (gzip data holds at least a 10-byte header)");
    }
    try (InputStream raw = fs.open(p);
         CsvLines lines = new CsvLines(p.getName().endsWith(".gz") ? new GZIPInputStream(raw) : raw)) {
      String h = lines.next() ? Utf8.require(lines.bytes(), 0, lines.length(), p + ": header") : null;
      if (h == null || h.isBlank()) {
        throw new DataException(p + ": empty input: expected a header row like slice_id,time,value");
      }
      return h.startsWith("\uFEFF") ? h.substring(1) : h;
    } catch (java.util.zip.ZipException | java.io.EOFException e) {
      // A .gz file that is not gzip data, is empty or is cut short: the whole file is unreadable, so it is an error
      // naming the file, not a quarantine (which holds rows and slices; skipping a file would drop its data unseen).
      throw new DataException(p + ": " + TaskFailures.explain(p, e));
    }
  }

  /**
   * The rank of input file {@code file} in file order (the order of --input, a directory's files by name), which
   * breaks ties between rows of the same slice and time. Without the list (a mapper run outside this job, as in
   * the MRUnit tests) there is one file, rank 0; a file missing from it is an error, not a silent reorder.
   */
  static int fileRank(Configuration conf, String file) {
    String all = conf.get(JobKeys.FILES);
    if (all == null) {
      return 0;
    }
    int rank = java.util.Arrays.asList(all.split("\n")).indexOf(file);
    if (rank < 0) {
      throw new IllegalStateException("input split of " + file + " is not among the prepare job's files " + all);
    }
    return rank;
  }

  /** The data spec the job was configured with. */
  static DataSpec dataSpec(Configuration conf) {
    try {
      return DataSpec.parseFrom(Base64.getDecoder().decode(conf.get(JobKeys.SPEC)));
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("job configuration lacks " + JobKeys.SPEC, e);
    }
  }
}
