package tsad.oozie;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.oozie.client.OozieClient;
import org.apache.oozie.local.LocalOozie;
import org.apache.oozie.util.ClasspathUtils;

/**
 * Oozie 5.2.1's engine ({@link LocalOozie}: the server's services, an embedded Derby database and the launcher
 * callback endpoint) in the test JVM, pointed at a minicluster, with its home, configuration and data in a temp dir.
 * Oozie's own test base classes are not used: they delete log files in the working directory and exit the JVM
 * when their configuration is missing.
 */
final class LocalOozieEngine implements AutoCloseable {
  /** The share library service needs a sharelib on HDFS; the tsad apps carry their jars in lib/ instead. */
  private static final String SHARELIB_SERVICE = "org.apache.oozie.service.ShareLibService";

  private LocalOozieEngine() {}

  /**
   * Starts the engine with {@code cluster}'s configuration as the Hadoop configuration of every action, and
   * coordinator checks every few seconds instead of every minute or more (the server's defaults).
   */
  static LocalOozieEngine start(Path dir, Configuration cluster) throws Exception {
    Path home = Files.createDirectories(dir.resolve("oozie-home"));
    Path conf = Files.createDirectories(home.resolve("conf"));
    Path data = Files.createDirectories(home.resolve("data"));
    Path hadoopConf = Files.createDirectories(home.resolve("hadoop-conf"));
    Path actionConf = Files.createDirectories(home.resolve("action-conf"));
    try (OutputStream out = Files.newOutputStream(hadoopConf.resolve("core-site.xml"))) {
      cluster.writeXml(out);
    }
    Configuration site = new Configuration(false);
    site.set("oozie.services", services());
    site.set("oozie.service.JPAService.create.db.schema", "true");
    site.set("oozie.service.HadoopAccessorService.hadoop.configurations", "*=" + hadoopConf);
    site.set("oozie.service.HadoopAccessorService.action.configurations", "*=" + actionConf);
    site.set("oozie.service.HadoopAccessorService.supported.filesystems", "*");
    for (Map.Entry<String, String> e : Map.of(
        "oozie.service.CoordMaterializeTriggerService.lookup.interval", "3",
        "oozie.service.coord.input.check.requeue.interval", "3000",
        "oozie.service.StatusTransitService.statusTransit.interval", "3").entrySet()) {
      site.set(e.getKey(), e.getValue());
    }
    try (OutputStream out = Files.newOutputStream(conf.resolve("oozie-site.xml"))) {
      site.writeXml(out);
    }
    System.setProperty("oozie.home.dir", home.toString());
    System.setProperty("oozie.config.dir", conf.toString());
    System.setProperty("oozie.data.dir", data.toString());
    System.setProperty("oozielocal.log", home.resolve("oozie.log").toString());
    System.setProperty("derby.stream.error.file", home.resolve("derby.log").toString());
    // Launcher containers get this JVM's class path (Oozie's launcher classes, Hadoop); the app's lib/ comes on top.
    ClasspathUtils.setUsingMiniYarnCluster(true);
    LocalOozie.start();
    return new LocalOozieEngine();
  }

  /** The server's default services without the share library service. */
  private static String services() throws IOException {
    Configuration defaults = new Configuration(false);
    defaults.addResource("oozie-default.xml");
    String all = defaults.get("oozie.services");
    if (all == null) {
      throw new IOException("oozie-default.xml (oozie-core) is not on the test class path");
    }
    List<String> kept = Arrays.stream(all.split(",")).map(String::trim).filter(s -> !s.isEmpty())
        .filter(s -> !s.equals(SHARELIB_SERVICE)).collect(Collectors.toList());
    return String.join(",", kept);
  }

  /** A client for workflow jobs, as the user running the tests. */
  OozieClient workflows() {
    return LocalOozie.getClient();
  }

  /** A client for coordinator jobs, as the user running the tests. */
  OozieClient coordinators() {
    return LocalOozie.getCoordClient();
  }

  @Override
  public void close() {
    LocalOozie.stop();
  }
}
