package tsad.mr;

import org.apache.hadoop.conf.Configuration;

/** Settings that make the local job runner quick, applied only where the user set nothing. */
final class MrDefaults {
  private MrDefaults() {}

  static void apply(Configuration conf) {
    // Without this every job waits 5 s for its completion poll, even a 1 s local one.
    if (conf.get("mapreduce.client.completion.pollinterval") == null
        || "5000".equals(conf.get("mapreduce.client.completion.pollinterval"))) {
      conf.setInt("mapreduce.client.completion.pollinterval", 100);
    }
  }
}
