package tsad.oozie;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.oozie.client.CoordinatorAction;
import org.apache.oozie.client.OozieClient;
import org.apache.oozie.client.OozieClientException;
import org.apache.oozie.client.WorkflowAction;
import org.apache.oozie.client.WorkflowJob;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tsad.MainTest;
import tsad.mr.MiniCluster;
import tsad.registry.MlflowServer;
import tsad.registry.ModelRegistry;
import tsad.registry.ModelVersionInfo;

/**
 * scripts/oozie on Oozie 5.2.1's engine (LocalOozie) against a real HDFS + YARN, deployed as docs/operations.md
 * says (workflow.xml and coordinator.xml in the app directory, the job jar and its dependency jars in lib/,
 * scripts/oozie/job.properties with the cluster's addresses), every step a real tsad.Main in a YARN launcher,
 * with a real MLflow server. The champion is bootstrapped by the workflow alone; then the coordinator's day waits
 * for its partition's _SUCCESS, retrains on drift, gates and promotes; reruns of that day take the other branches.
 */
@Tag("minicluster")
@Tag("mlflow")
@ExtendWith(MlflowServer.class)
class OozieEngineIT {
  static final String MODEL = "oozie-engine";
  static final DateTimeFormatter OOZIE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm'Z'", Locale.ROOT);
  static final List<String> FULL_RUN = List.of("prepare", "drift", "train", "gate", "promote", "score");
  @TempDir static Path dir;
  static MiniCluster cluster;
  static LocalOozieEngine oozie;
  static FileSystem fs;
  static Properties job;
  static Path javacppCache;
  /** The coordinator's day (its nominal time is 01:00 of it) and the partition it reads, the day before. */
  static LocalDate day;
  static LocalDate partition;
  /** Each partition's CSV as written to HDFS. */
  static final Map<LocalDate, Path> csvs = new HashMap<>();

  @BeforeAll
  static void start() throws Exception {
    long t0 = System.nanoTime();
    String user = System.getProperty("user.name");
    // Each launcher asks YARN for workflow.xml's 4096 MB, and the MapReduce jobs they submit need room beside them
    // (two workflows run at once below; the launchers' heap is javaOpts' 1 GB, so the machine has room).
    cluster = new MiniCluster(dir, System.getProperty("java.class.path"), Map.of(
        "yarn.nodemanager.resource.memory-mb", "20480",
        "hadoop.proxyuser." + user + ".hosts", "*", "hadoop.proxyuser." + user + ".groups", "*"));
    fs = cluster.fs();
    oozie = LocalOozieEngine.start(dir, cluster.conf());
    System.out.printf("minicluster and Oozie up in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    deploy();
    job = jobProperties();
  }

  @AfterAll
  static void stop() {
    long t0 = System.nanoTime();
    if (oozie != null) {
      oozie.close();
    }
    long t1 = System.nanoTime();
    if (cluster != null) {
      cluster.close();
    }
    System.out.printf("Oozie stopped in %.1f s, the minicluster in %.1f s%n", (t1 - t0) / 1e9,
        (System.nanoTime() - t1) / 1e9);
  }

  /** docs/operations.md's deployment: the two apps in /apps/tsad, the job jar and target/lib/*.jar in lib/. */
  private static void deploy() throws IOException {
    Path jar = Path.of("tsad-mr-train.jar").toAbsolutePath(); // failsafe runs in target/
    Path lib = Path.of("lib").toAbsolutePath();
    assertTrue(Files.isRegularFile(jar) && Files.isDirectory(lib), jar + " or " + lib + " missing: they are built in "
        + "the package phase (mvn verify)");
    org.apache.hadoop.fs.Path app = new org.apache.hadoop.fs.Path("/apps/tsad");
    fs.mkdirs(new org.apache.hadoop.fs.Path(app, "lib"));
    for (String xml : List.of("workflow.xml", "coordinator.xml")) {
      fs.copyFromLocalFile(hadoopPath(OozieSchemaTest.OOZIE.resolve(xml)), app);
    }
    fs.copyFromLocalFile(hadoopPath(jar), new org.apache.hadoop.fs.Path(app, "lib"));
    try (Stream<Path> jars = Files.list(lib)) {
      for (Path j : jars.filter(j -> j.toString().endsWith(".jar")).toList()) {
        fs.copyFromLocalFile(hadoopPath(j), new org.apache.hadoop.fs.Path(app, "lib"));
      }
    }
  }

  private static org.apache.hadoop.fs.Path hadoopPath(Path p) {
    return new org.apache.hadoop.fs.Path(p.toUri());
  }

  /**
   * scripts/oozie/job.properties with what a user sets for their cluster: addresses, the MLflow server, a small
   * model for the test's small data, and a coordinator of one day (today, or yesterday before 01:00 UTC).
   */
  private static Properties jobProperties() throws IOException {
    Properties p = new Properties();
    p.putAll(OozieSchemaTest.properties(OozieSchemaTest.OOZIE.resolve("job.properties")));
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
    day = now.getHour() >= 1 ? now.toLocalDate() : now.toLocalDate().minusDays(1);
    partition = day.minusDays(1);
    ZonedDateTime nominal = day.atTime(1, 0).atZone(ZoneOffset.UTC);
    javacppCache = dir.resolve("launcher-javacpp-cache");
    p.putAll(Map.of("nameNode", fs.getUri().toString(),
        "resourceManager", cluster.conf().get("yarn.resourcemanager.address"),
        "mlflowTrackingUri", MlflowServer.get().uri(), "modelName", MODEL,
        "window", "32", "epochs", "15", "threads", "1",
        // a -D the action can be seen to use: libtorch's natives are unpacked where it says
        "javaOpts", "-Xmx1g -Djava.awt.headless=true -Dorg.bytedeco.javacpp.cachedir=" + javacppCache,
        "startTime", OOZIE_TIME.format(nominal), "endTime", OOZIE_TIME.format(nominal.plusHours(1))));
    p.setProperty(OozieClient.USER_NAME, System.getProperty("user.name"));
    return p;
  }

  /** The properties of a single workflow run of one partition, as docs/operations.md submits the bootstrap run. */
  private static Properties once(LocalDate data, Map<String, String> overrides) {
    Properties p = new Properties();
    p.putAll(job);
    p.remove(OozieClient.COORDINATOR_APP_PATH);
    p.setProperty(OozieClient.APP_PATH, "${nameNode}/apps/tsad");
    p.setProperty("inputDir", "${inputRoot}/" + ymd(data));
    p.setProperty("outputDir", "${outputRoot}/" + ymd(data));
    p.putAll(overrides);
    return p;
  }

  static String ymd(LocalDate d) {
    return String.format(Locale.ROOT, "%04d/%02d/%02d", d.getYear(), d.getMonthValue(), d.getDayOfMonth());
  }

  @Test
  void aSubmissionLackingARequiredParameterIsRefusedNamingIt() throws Exception {
    Properties coordinator = new Properties();
    coordinator.putAll(job);
    coordinator.remove("inputRoot");
    OozieClientException c = assertThrows(OozieClientException.class, () -> oozie.coordinators().run(coordinator));
    assertTrue(c.getMessage().contains("inputRoot"), c.getMessage());
    // the single run of docs/operations.md without -DinputDir
    Properties single = once(partition, Map.of());
    single.remove("inputDir");
    OozieClientException w = assertThrows(OozieClientException.class, () -> oozie.workflows().run(single));
    assertTrue(w.getMessage().contains("inputDir"), w.getMessage());
  }

  @Test
  void theCoordinatorsDayThenReruns() throws Exception {
    long t0 = System.nanoTime();
    // Bootstrap, as docs/operations.md: the workflow alone with forceRetrain=true on an earlier day.
    LocalDate first = partition.minusDays(1);
    writePartition(first, 41, 1.0, 0.0, true);
    WorkflowJob boot = await(oozie.workflows().run(once(first, Map.of("forceRetrain", "true"))));
    assertSucceeded(boot, List.of("prepare", "train", "gate", "promote", "score"));
    assertEquals("1", champion());
    assertTrue(nativesIn(javacppCache), "javaOpts reached the launcher JVM: libtorch unpacked in " + javacppCache);
    System.out.printf("bootstrap run done at %.1f s%n", (System.nanoTime() - t0) / 1e9);

    // The coordinator: its day's action waits for the partition's _SUCCESS.
    writePartition(partition, 43, 1.5, 0.3, false); // drifted sensors: values scaled and shifted
    OozieClient coord = oozie.coordinators();
    String coordId = coord.run(job);
    CoordinatorAction action = awaitCoordAction(coord, coordId, CoordinatorAction.Status.WAITING);
    Thread.sleep(8000); // two input checks
    action = coord.getCoordActionInfo(action.getId());
    assertEquals(CoordinatorAction.Status.WAITING, action.getStatus(), "no _SUCCESS yet");
    assertTrue(String.valueOf(action.getMissingDependencies()).contains(ymd(partition)),
        action.getMissingDependencies());
    fs.create(new org.apache.hadoop.fs.Path("/data/tsad/" + ymd(partition) + "/_SUCCESS")).close();
    action = awaitCoordAction(coord, coordId, CoordinatorAction.Status.SUCCEEDED);
    WorkflowJob daily = oozie.workflows().getJobInfo(action.getExternalId());
    assertSucceeded(daily, FULL_RUN);
    assertEquals("true", data(daily, "drift").getProperty("retrain_due"));
    assertEquals("2", data(daily, "train").getProperty("version"));
    Properties gate = data(daily, "gate");
    assertEquals("true", gate.getProperty("gate_passed"), gate.toString());
    assertEquals("1", gate.getProperty("champion_version"));
    assertEquals("2", champion());
    assertScores(ymd(partition), partition, "2");
    System.out.printf("coordinator day done at %.1f s%n", (System.nanoTime() - t0) / 1e9);

    // Reruns of the day, at once (a busy scheduler's day): a failing step (no such partition); a quiet rerun, where
    // the new champion sees no drift; a weak candidate (one epoch) forced on the day, into an output of its own.
    String failing = oozie.workflows().run(once(partition, Map.of("inputDir", "${inputRoot}/2001/01/01",
        "outputDir", "${outputRoot}/failed")));
    String weakId = oozie.workflows().run(once(partition, Map.of("forceRetrain", "true", "epochs", "1",
        "outputDir", "${outputRoot}/weak")));
    WorkflowJob quiet = await(oozie.workflows().run(once(partition, Map.of())));
    assertSucceeded(quiet, List.of("prepare", "drift", "score"));
    assertEquals("false", data(quiet, "drift").getProperty("retrain_due"));
    assertScores(ymd(partition), partition, "2");
    WorkflowJob killed = await(failing);
    assertEquals(WorkflowJob.Status.KILLED, killed.getStatus());
    assertEquals(List.of("prepare"), javaActions(killed));
    String kill = node(killed, "fail").getErrorMessage();
    assertTrue(kill.startsWith("tsad workflow failed at [prepare]: tsad: error: ") && kill.contains("2001/01/01"),
        kill);

    // The weak candidate: registered as version 3, stopped by the gate, the alias stays.
    WorkflowJob weak = await(weakId);
    assertSucceeded(weak, List.of("prepare", "train", "gate", "score"));
    assertEquals("3", data(weak, "train").getProperty("version"));
    assertEquals("false", data(weak, "gate").getProperty("gate_passed"), data(weak, "gate").toString());
    assertEquals("2", champion());
    try (ModelRegistry reg = new ModelRegistry(MlflowServer.get().settings())) {
      assertEquals(List.of("1", "2"), reg.aliasHistory(MODEL, "champion"));
      String tag = reg.version(MODEL, "3").tags().get("tsad.gate.champion");
      assertTrue(tag != null && tag.startsWith("gate failed"), String.valueOf(tag));
    }
    assertScores("weak", partition, "2");
    System.out.printf("all runs done at %.1f s%n", (System.nanoTime() - t0) / 1e9);
  }

  /** A daily partition on HDFS of 300 normal slices of 32 steps, values as a*v+b; with or without _SUCCESS. */
  private static void writePartition(LocalDate d, long seed, double a, double b, boolean done) throws IOException {
    Path synth = dir.resolve("synth-" + seed);
    MainTest.Run run = MainTest.tsad("synth", "--out", synth.toString(), "--slices", "300", "--length", "32",
        "--seed", Long.toString(seed));
    assertEquals(0, run.code(), run.err());
    List<String> lines = Files.readAllLines(synth.resolve("train.csv"));
    List<String> out = new ArrayList<>(List.of(lines.get(0)));
    for (String line : lines.subList(1, lines.size())) {
      int comma = line.lastIndexOf(',');
      double v = Double.parseDouble(line.substring(comma + 1));
      out.add(line.substring(0, comma + 1) + String.format(Locale.ROOT, "%.6f", a * v + b));
    }
    Path csv = Files.write(dir.resolve("part-" + seed + ".csv"), out);
    csvs.put(d, csv);
    org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path("/data/tsad/" + ymd(d));
    fs.mkdirs(target);
    fs.copyFromLocalFile(hadoopPath(csv), new org.apache.hadoop.fs.Path(target, "part-0.csv"));
    if (done) {
      fs.create(new org.apache.hadoop.fs.Path(target, "_SUCCESS")).close();
    }
  }

  /** Polls a workflow until it ends (10 minutes at most) and returns it. */
  private static WorkflowJob await(String id) throws Exception {
    OozieClient client = oozie.workflows();
    for (long end = System.nanoTime() + 600_000_000_000L; System.nanoTime() < end; Thread.sleep(1000)) {
      WorkflowJob j = client.getJobInfo(id);
      if (j.getStatus() != WorkflowJob.Status.PREP && j.getStatus() != WorkflowJob.Status.RUNNING) {
        return j;
      }
    }
    return fail("workflow " + id + " still running after 10 minutes: " + describe(client.getJobInfo(id)));
  }

  /** Polls the coordinator until its first action has {@code status}, failing on any end state but that. */
  private static CoordinatorAction awaitCoordAction(OozieClient client, String id, CoordinatorAction.Status status)
      throws Exception {
    Set<CoordinatorAction.Status> ends = Set.of(CoordinatorAction.Status.SUCCEEDED, CoordinatorAction.Status.KILLED,
        CoordinatorAction.Status.FAILED, CoordinatorAction.Status.TIMEDOUT, CoordinatorAction.Status.SKIPPED);
    CoordinatorAction last = null;
    for (long end = System.nanoTime() + 600_000_000_000L; System.nanoTime() < end; Thread.sleep(1000)) {
      List<CoordinatorAction> actions = client.getCoordJobInfo(id).getActions();
      if (!actions.isEmpty()) {
        last = actions.get(0);
        if (last.getStatus() == status) {
          return last;
        }
        if (ends.contains(last.getStatus())) {
          String wf = last.getExternalId() == null ? "" : ": " + describe(oozie.workflows().getJobInfo(last.getExternalId()));
          fail("coordinator action ended " + last.getStatus() + " waiting for " + status + wf);
        }
      }
    }
    return fail("coordinator action not " + status + " after 10 minutes: " + (last == null ? "none" : last.getStatus()));
  }

  /** The run succeeded through exactly these java actions, each a YARN launcher that ended OK. */
  private static void assertSucceeded(WorkflowJob j, List<String> actions) {
    assertEquals(WorkflowJob.Status.SUCCEEDED, j.getStatus(), describe(j));
    assertEquals(actions, javaActions(j), describe(j));
    for (String name : actions) {
      WorkflowAction a = node(j, name);
      assertEquals(WorkflowAction.Status.OK, a.getStatus(), describe(j));
      assertTrue(String.valueOf(a.getExternalId()).startsWith("application_"), a.getExternalId());
    }
  }

  /** The java actions the run started, in the order they started. */
  private static List<String> javaActions(WorkflowJob j) {
    return j.getActions().stream().filter(a -> "java".equals(a.getType()))
        .sorted(Comparator.comparing(WorkflowAction::getStartTime)).map(WorkflowAction::getName).toList();
  }

  private static WorkflowAction node(WorkflowJob j, String name) {
    return j.getActions().stream().filter(a -> a.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no node " + name + ": " + describe(j)));
  }

  /** What an action passed on through capture-output. */
  private static Properties data(WorkflowJob j, String action) throws IOException {
    Properties p = new Properties();
    String d = node(j, action).getData();
    if (d != null) {
      p.load(new StringReader(d));
    }
    return p;
  }

  private static String describe(WorkflowJob j) {
    StringBuilder b = new StringBuilder(j.getId() + " " + j.getStatus());
    for (WorkflowAction a : j.getActions()) {
      b.append("\n  ").append(a.getName()).append(' ').append(a.getStatus()).append(' ').append(a.getExternalId());
      if (a.getErrorMessage() != null) {
        b.append(" error: ").append(a.getErrorMessage());
      }
    }
    return b.toString();
  }

  private static String champion() {
    try (ModelRegistry reg = new ModelRegistry(MlflowServer.get().settings())) {
      return reg.versions(MODEL).stream().filter(v -> v.aliases().contains("champion"))
          .map(ModelVersionInfo::version).findFirst().orElse("none");
    }
  }

  /**
   * The scores a run wrote to its output ({@code outputRoot}/{@code output}): one line for each of the 300 slices, scored by {@code version}, each equal to what the
   * local CLI gives with that version (from the registry) on the partition's CSV.
   */
  private static void assertScores(String output, LocalDate d, String version) throws IOException {
    List<String> lines = new ArrayList<>();
    for (org.apache.hadoop.fs.FileStatus f : fs.listStatus(new org.apache.hadoop.fs.Path("/tsad/runs/" + output
        + "/scores"))) {
      if (f.getPath().getName().startsWith("part-")) {
        try (var in = fs.open(f.getPath())) {
          lines.addAll(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
        }
      }
    }
    for (String line : lines) {
      assertTrue(line.contains("\"model\":\"" + MODEL + "\",\"version\":\"" + version + "\""), line);
    }
    Path local = dir.resolve("local-scores-" + d + "-" + version + ".jsonl");
    MainTest.Run run = MainTest.tsad("score", "--model", "models:/" + MODEL + "/" + version, "--input",
        csvs.get(d).toString(), "--output", local.toString(), "--threads", "1", "--tracking-uri",
        MlflowServer.get().uri(), "--cache-dir", dir.resolve("local-cache").toString());
    assertEquals(0, run.code(), run.err());
    Map<String, double[]> expected = scores(Files.readAllLines(local));
    Map<String, double[]> got = scores(lines);
    assertEquals(300, expected.size());
    assertEquals(expected.keySet(), got.keySet(), "every slice scored once");
    for (String id : expected.keySet()) {
      double e = expected.get(id)[0];
      assertEquals(e, got.get(id)[0], 1e-6 * Math.max(1, e), id + ": the workflow's score equals the local CLI's");
    }
  }

  /** slice_id to {score} from score lines. */
  private static Map<String, double[]> scores(List<String> lines) {
    Map<String, double[]> m = new TreeMap<>();
    Pattern p = Pattern.compile("\"slice_id\":\"([^\"]+)\",\"score\":([^,]+),");
    for (String l : lines) {
      Matcher x = p.matcher(l);
      assertTrue(x.find(), l);
      assertTrue(m.put(x.group(1), new double[] {Double.parseDouble(x.group(2))}) == null, "duplicate " + x.group(1));
    }
    return m;
  }

  private static boolean nativesIn(Path cache) throws IOException {
    if (!Files.isDirectory(cache)) {
      return false;
    }
    try (Stream<Path> files = Files.walk(cache)) {
      return files.anyMatch(f -> f.getFileName().toString().startsWith("libtorch"));
    }
  }
}
