package tsad.mr;

import org.apache.hadoop.conf.Configuration;

/** What every tsad job does alike: local-runner settings, a fresh output directory, running to the end. */
final class MrDefaults {
  private MrDefaults() {}

  static void apply(Configuration conf) {
    // Without this every job waits 5 s for its completion poll, even a 1 s local one.
    if (conf.get("mapreduce.client.completion.pollinterval") == null
        || "5000".equals(conf.get("mapreduce.client.completion.pollinterval"))) {
      conf.setInt("mapreduce.client.completion.pollinterval", 100);
    }
  }

  /** Sets a job's output directory, refusing one that exists (a rerun must not mix old and new parts). */
  static org.apache.hadoop.fs.Path newOutput(org.apache.hadoop.mapreduce.Job job, String dir) throws java.io.IOException {
    org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(dir);
    if (out.getFileSystem(job.getConfiguration()).exists(out)) {
      throw new tsad.core.data.DataException("output " + out + " already exists; remove it or choose another");
    }
    org.apache.hadoop.mapreduce.lib.output.FileOutputFormat.setOutputPath(job, out);
    return out;
  }

  /** Runs a job to completion; a failed job becomes one error naming the job and Hadoop's reason. */
  static void run(org.apache.hadoop.mapreduce.Job job, String what) throws Exception {
    if (!job.waitForCompletion(false)) {
      throw new tsad.core.data.DataException(what + " job " + job.getJobID() + " failed: "
          + job.getStatus().getFailureInfo());
    }
  }
}
