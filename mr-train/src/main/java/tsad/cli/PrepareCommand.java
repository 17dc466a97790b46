package tsad.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tsad.core.data.CsvOptions;
import tsad.core.data.DataException;
import tsad.mr.PrepareJob;

/** {@code tsad prepare}: the prepare MapReduce job from the command line. */
@Command(name = "prepare", mixinStandardHelpOptions = true, sortOptions = false,
    description = "MapReduce: CSV (local or hdfs://) -> sorted slices as protobuf SequenceFiles, rejects quarantined. "
        + "Hadoop generic options (-D k=v, -files, -libjars, ...) are taken too.")
public final class PrepareCommand implements Callable<Integer> {
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

  @Mixin
  HadoopMixin hadoop;

  @Override
  public Integer call() throws Exception {
    if (csv.rejectsFile() != null) {
      throw new DataException("--rejects is for the local commands; the prepare job writes every reject to "
          + output + "/quarantine");
    }
    boolean auto = windowing.auto();
    new PrepareJob(hadoop.configuration()).run(new PrepareJob.Request(input, output, csv.options(CsvOptions.defaults()),
        windowing.spec(windowing.givenOrDefault()), reducers, null, auto ? windowing::spec : null));
    return 0;
  }
}
