package tsad.hive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.hive.conf.HiveConf;
import org.apache.hadoop.hive.ql.DriverFactory;
import org.apache.hadoop.hive.ql.IDriver;
import org.apache.hadoop.hive.ql.processors.CommandProcessorException;
import org.apache.hadoop.hive.ql.session.SessionState;

/**
 * A real Hive 4 engine in this JVM: embedded Derby metastore, warehouse and scratch dirs under one temp
 * directory, queries compiled by the ql Driver and run as local MapReduce jobs.
 */
public final class EmbeddedHive implements AutoCloseable {
  private final HiveConf conf;
  private final SessionState session;

  /** Starts a session whose state all lives under {@code dir}. */
  public EmbeddedHive(Path dir) throws IOException {
    Files.createDirectories(dir);
    String d = dir.toAbsolutePath().toString();
    conf = new HiveConf(SessionState.class);
    conf.set("javax.jdo.option.ConnectionURL", "jdbc:derby:;databaseName=" + d + "/metastore_db;create=true");
    conf.set("hive.metastore.uris", "");
    conf.set("metastore.thrift.uris", "");
    conf.set("datanucleus.schema.autoCreateAll", "true");
    conf.set("hive.metastore.schema.verification", "false");
    conf.set("metastore.schema.verification", "false");
    conf.set("hive.metastore.warehouse.dir", d + "/warehouse");
    conf.set("metastore.warehouse.dir", d + "/warehouse");
    conf.set("hive.metastore.warehouse.external.dir", d + "/external");
    conf.set("metastore.warehouse.external.dir", d + "/external");
    conf.set("hive.exec.scratchdir", d + "/scratch");
    conf.set("hive.exec.local.scratchdir", d + "/local-scratch");
    conf.set("hive.downloaded.resources.dir", d + "/resources");
    conf.set("hive.querylog.location", d + "/querylog");
    conf.set("hive.server2.logging.operation.log.location", d + "/operation-logs");
    conf.set("hive.query.results.cache.directory", d + "/results-cache");
    conf.set("hadoop.tmp.dir", d + "/hadoop-tmp");
    conf.set("mapreduce.jobtracker.staging.root.dir", d + "/staging");
    conf.set("yarn.app.mapreduce.am.staging-dir", d + "/staging");
    conf.set("hive.execution.engine", "mr");
    conf.set("mapreduce.framework.name", "local");
    conf.set("fs.defaultFS", "file:///");
    conf.set("hive.support.concurrency", "false");
    conf.set("hive.txn.manager", "org.apache.hadoop.hive.ql.lockmgr.DummyTxnManager");
    conf.set("hive.server2.enable.doAs", "false");
    conf.set("hive.stats.autogather", "false");
    conf.set("hive.stats.column.autogather", "false");
    conf.set("hive.exec.mode.local.auto", "false");
    conf.set("hive.exec.submitviachild", "false");
    session = SessionState.start(new SessionState(conf));
  }

  /** The session's configuration (a copy is taken by each statement). */
  public HiveConf conf() {
    return conf;
  }

  /** Runs one statement and returns its result rows (tab-separated columns). */
  public List<String> sql(String statement) throws CommandProcessorException {
    IDriver driver = DriverFactory.newDriver(conf);
    try {
      driver.run(statement);
      List<String> rows = new ArrayList<>();
      List<String> batch = new ArrayList<>();
      try {
        while (driver.getResults(batch)) {
          rows.addAll(batch);
          batch.clear();
        }
      } catch (IOException e) {
        throw new IllegalStateException("cannot fetch the results of: " + statement, e);
      }
      return rows;
    } finally {
      driver.close();
      driver.destroy();
    }
  }

  @Override
  public void close() throws IOException {
    session.close();
  }
}
