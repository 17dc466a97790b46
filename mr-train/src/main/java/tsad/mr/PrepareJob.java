package tsad.mr;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.conf.Configured;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Counter;
import org.apache.hadoop.mapreduce.CounterGroup;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.output.MultipleOutputs;
import org.apache.hadoop.mapreduce.lib.output.SequenceFileOutputFormat;
import org.apache.hadoop.mapreduce.lib.output.TextOutputFormat;
import org.apache.hadoop.util.Tool;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tsad.cli.CsvMixin;
import tsad.cli.WindowMixin;
import tsad.core.data.CsvOptions;
import tsad.core.data.CsvRowParser;
import tsad.core.data.DataException;
import tsad.core.data.DataReport;
import tsad.core.window.Inputs;
import tsad.core.window.WindowSpec;
import tsad.proto.DataSpec;
import tsad.proto.DataSummary;
import tsad.proto.FeatureStats;
import tsad.core.scale.FeatureStatistics;
import tsad.proto.PreparedData;
import tsad.proto.PreparedLayout;

/**
 * {@code tsad prepare}: a MapReduce job (a Hadoop Tool: -D, -files, -libjars work) that reads long-format
 * CSV, groups rows by slice with a secondary sort on time, cuts windows with the same code as the local
 * CLI and writes each accepted slice's cleaned series as a protobuf SeriesRecord in SequenceFiles (readers cut
 * its windows with the same builder); rejects go to OUTPUT/quarantine with their reason, and every count to job
 * counters and OUTPUT/_tsad_prepared.pb.
 */
@Command(name = "prepare", mixinStandardHelpOptions = true, sortOptions = false,
    description = "MapReduce: CSV (local or hdfs://) -> sorted slices as protobuf SequenceFiles, rejects quarantined. "
        + "Hadoop generic options (-D k=v, -files, -libjars) go first.")
public final class PrepareJob extends Configured implements Tool, Callable<Integer> {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PrepareJob.class);
  static final String HEADER = "tsad.csv.header";
  static final String SPEC = "tsad.data.spec";
  static final String STRICT = "tsad.strict";
  /** The job's input files in file order, one per line: a row's file is keyed by its rank here. */
  static final String FILES = "tsad.prepare.files";
  /** Name of the file describing prepared data, next to the SequenceFiles. */
  public static final String MANIFEST = "_tsad_prepared.pb";
  /** Prefix of the reduce tasks' feature-statistics files, merged into the manifest and then removed. */
  static final String STATS_PREFIX = "_tsad_stats-r-";

  @Option(names = "--input", required = true, split = ",", paramLabel = "PATH",
      description = "CSV files, directories or Hadoop globs (data/2026-11-*), comma-separated.")
  List<String> input;

  @Option(names = "--output", required = true, paramLabel = "DIR", description = "Output directory (must not exist).")
  String output;

  @Mixin
  WindowMixin windowing;

  @Option(names = "--reducers", description = "Reduce tasks. Default: -D mapreduce.job.reduces, else 1.")
  Integer reducers;

  @Mixin
  CsvMixin csv;

  private long windows;
  /** Where the report and quarantine end up when this run is a score job's step (null: the output itself). */
  private Path reportedIn;

  @Override
  public int run(String[] args) {
    return tsad.Main.execute(new CommandLine(this), args);
  }

  @Override
  public Integer call() throws Exception {
    if (csv.rejectsFile() != null) {
      throw new DataException("--rejects is for the local commands; the prepare job writes every reject to "
          + output + "/quarantine");
    }
    Configuration conf = new Configuration(getConf());
    MrDefaults.apply(conf);
    List<Path> files = files(conf);
    String header = firstLine(files.get(0).getFileSystem(conf), files.get(0));
    CsvOptions options = csv.options(CsvOptions.defaults());
    CsvRowParser parser = CsvRowParser.fromHeader(header, options, files.get(0).toString());
    for (Path f : files.subList(1, files.size())) {
      if (!firstLine(f.getFileSystem(conf), f).equals(header)) {
        throw new DataException(f + ": header differs from " + files.get(0) + " (" + header + ")");
      }
    }
    WindowSpec spec = windowing.spec();
    DataSpec data = Inputs.dataSpec(options, spec, parser.featureNames());
    conf.set(HEADER, header);
    List<String> qualified = new ArrayList<>();
    for (Path f : files) {
      qualified.add(f.getFileSystem(conf).makeQualified(f).toString());
    }
    conf.set(FILES, String.join("\n", qualified));
    conf.set(SPEC, Base64.getEncoder().encodeToString(data.toByteArray()));
    conf.setBoolean(STRICT, options.strict());

    Job job = Job.getInstance(conf, "tsad prepare " + String.join(",", input));
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
    if (reducers != null) {
      job.setNumReduceTasks(Math.max(1, reducers));
    }
    job.setOutputKeyClass(Text.class);
    job.setOutputValueClass(BytesWritable.class);
    job.setOutputFormatClass(SequenceFileOutputFormat.class);
    MultipleOutputs.addNamedOutput(job, MrReports.QUARANTINE, TextOutputFormat.class, NullWritable.class, Text.class);
    Path out = MrDefaults.newOutput(job, output);
    long t0 = System.nanoTime();
    MrDefaults.run(job, "prepare");
    DataSummary summary = summary(job, String.join(",", input));
    PreparedData manifest = PreparedData.newBuilder().setData(data).setSummary(summary).setLayout(PreparedLayout.SERIES)
        .setCreatedAtMs(System.currentTimeMillis()).addAllFeatureStats(mergeStats(out, conf, parser.featureNames()))
        .build();
    try (var os = out.getFileSystem(conf).create(new Path(out, MANIFEST))) {
      os.write(manifest.toByteArray());
    }
    windows = summary.getWindows();
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
    if (reportedIn == null) {
      System.out.printf(Locale.ROOT, "prepared %d windows in %s (quarantine: %s/%s) in %.1f s%n", windows, out, out,
          MrReports.QUARANTINE, (System.nanoTime() - t0) / 1e9);
    } else {
      System.out.printf(Locale.ROOT, "prepared %d windows for scoring (report and quarantine: %s) in %.1f s%n",
          windows, reportedIn, (System.nanoTime() - t0) / 1e9);
    }
    return 0;
  }

  /** Merges the reduce tasks' feature statistics (exactly, in task order) and removes their files. */
  private static List<FeatureStats> mergeStats(Path out, Configuration conf, List<String> features)
      throws IOException {
    FileSystem fs = out.getFileSystem(conf);
    FeatureStatistics total = new FeatureStatistics(features);
    FileStatus[] parts = fs.globStatus(new Path(out, STATS_PREFIX + "*"));
    java.util.Arrays.sort(parts);
    for (FileStatus st : parts) {
      try (var in = fs.open(st.getPath())) {
        total.merge(PreparedData.parseFrom(in).getFeatureStatsList());
      }
      fs.delete(st.getPath(), false);
    }
    return total.toProto();
  }

  /** Makes this run a step of a score job on CSV, whose report and quarantine are kept in {@code dir}. */
  void reportIn(Path dir) {
    reportedIn = dir;
  }

  /** Windows written by the last run. */
  long windows() {
    return windows;
  }

  /**
   * The CSV files of the inputs: files, directories (their .csv and .csv.gz files) and Hadoop globs
   * ({@code hdfs:///data/fleet/2026-11-*}, {@code data/*.csv}), each in name order.
   */
  private List<Path> files(Configuration conf) throws IOException {
    List<Path> out = new ArrayList<>();
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
        for (FileStatus st : fs.listStatus(m.getPath())) {
          String n = st.getPath().getName();
          if (st.isFile() && (n.endsWith(".csv") || n.endsWith(".csv.gz"))) {
            inDir.add(st.getPath());
          }
        }
        inDir.sort(null);
        found.addAll(inDir);
      }
      if (found.isEmpty()) {
        throw new DataException((matched.length == 1 ? "directory " + p : "input " + p) + " holds no .csv or .csv.gz "
            + "files");
      }
      out.addAll(found);
    }
    return out;
  }

  private static String firstLine(FileSystem fs, Path p) throws IOException {
    try (InputStream raw = fs.open(p);
         InputStream in = p.getName().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
         BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String h = r.readLine();
      if (h == null || h.isBlank()) {
        throw new DataException(p + ": empty input: expected a header row like slice_id,time,value");
      }
      return h.startsWith("\uFEFF") ? h.substring(1) : h;
    }
  }

  private static DataSummary summary(Job job, String source) throws IOException {
    DataSummary.Builder b = DataSummary.newBuilder().setSource(source);
    long[] rows = counts(job.getCounters().getGroup(MrReports.ROWS), b::putRowsRejectedByReason);
    long[] slices = counts(job.getCounters().getGroup(MrReports.SLICES), b::putSlicesRejectedByReason);
    return b.setRowsRead(rows[0]).setRowsUsed(rows[1]).setRowsRejected(rows[2]).setSlicesRead(slices[0])
        .setSlicesUsed(slices[1]).setSlicesRejected(slices[2])
        .setWindows(job.getCounters().findCounter(MrReports.WINDOWS, "made").getValue()).build();
  }

  /** {read, used, rejected} of a counter group written by {@link MrReports#count}; rejects go to {@code byReason}. */
  private static long[] counts(CounterGroup group, java.util.function.BiConsumer<String, Long> byReason) {
    long[] out = new long[3];
    for (Counter c : group) {
      if (c.getName().equals("read")) {
        out[0] = c.getValue();
      } else if (c.getName().equals("used")) {
        out[1] = c.getValue();
      } else if (c.getValue() > 0) {
        byReason.accept(c.getName().substring("rejected ".length()), c.getValue());
        out[2] += c.getValue();
      }
    }
    return out;
  }

  /**
   * The rank of input file {@code file} in file order (the order of --input, a directory's files by name), which
   * breaks ties between rows of the same slice and time. Without the list (a mapper run outside this job, as in
   * the MRUnit tests) there is one file, rank 0; a file missing from it is an error, not a silent reorder.
   */
  static int fileRank(Configuration conf, String file) {
    String all = conf.get(FILES);
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
      return DataSpec.parseFrom(Base64.getDecoder().decode(conf.get(SPEC)));
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("job configuration lacks " + SPEC, e);
    }
  }
}
