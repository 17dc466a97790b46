package tsad.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.util.GenericOptionsParser;
import picocli.CommandLine.Option;
import tsad.core.data.DataException;

/**
 * Hadoop's generic options for the commands that run MapReduce jobs ({@code -D}, {@code -conf}, {@code -fs},
 * {@code -jt}, {@code -files}, {@code -libjars}, {@code -archives}), handed to Hadoop's own parser, so they mean
 * what they mean to {@code ToolRunner}.
 */
public final class HadoopMixin {
  @Option(names = "-D", paramLabel = "KEY=VALUE", mapFallbackValue = "",
      description = "A Hadoop configuration setting, e.g. -D mapreduce.job.queuename=batch (repeatable).")
  Map<String, String> properties = new LinkedHashMap<>();

  @Option(names = "-conf", paramLabel = "FILE", description = "A Hadoop configuration file to add (repeatable).")
  List<String> confFiles = new ArrayList<>();

  @Option(names = "-fs", paramLabel = "URI", description = "The default file system (fs.defaultFS).")
  String fs;

  @Option(names = "-jt", paramLabel = "HOST:PORT", description = "The resource manager (or 'local').")
  String jt;

  @Option(names = "-files", paramLabel = "FILES", description = "Files to ship to the tasks, comma-separated.")
  String files;

  @Option(names = "-libjars", paramLabel = "JARS", description = "Jars to put on the tasks' class path.")
  String libjars;

  @Option(names = "-archives", paramLabel = "ARCHIVES", description = "Archives to unpack for the tasks.")
  String archives;

  /** True when any generic option was given. */
  boolean given() {
    return !properties.isEmpty() || !confFiles.isEmpty() || fs != null || jt != null || files != null
        || libjars != null || archives != null;
  }

  /** The configuration: Hadoop's defaults and site files, then these options as Hadoop's parser reads them. */
  public Configuration configuration() {
    List<String> args = new ArrayList<>();
    properties.forEach((k, v) -> {
      args.add("-D");
      args.add(k + "=" + v);
    });
    for (String c : confFiles) {
      args.add("-conf");
      args.add(c);
    }
    add(args, "-fs", fs);
    add(args, "-jt", jt);
    add(args, "-files", files);
    add(args, "-libjars", libjars);
    add(args, "-archives", archives);
    try {
      GenericOptionsParser p = new GenericOptionsParser(new Configuration(), args.toArray(new String[0]));
      return p.getConfiguration();
    } catch (IOException | IllegalArgumentException e) {
      throw new DataException("bad Hadoop generic option: " + e.getMessage());
    }
  }

  private static void add(List<String> args, String name, String value) {
    if (value != null) {
      args.add(name);
      args.add(value);
    }
  }
}
