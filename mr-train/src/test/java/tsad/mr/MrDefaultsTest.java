package tsad.mr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

/**
 * The local job runner's shared heap is split between concurrent reducers; the poll interval, the stream buffer and
 * the score tasks' JIT option get tsad's values only where Hadoop's shipped defaults stand; cluster, site and user
 * settings stand.
 */
class MrDefaultsTest {
  private static final String SHARE = "mapreduce.reduce.shuffle.input.buffer.percent";

  @Test
  void tasksGetTheLaunchersNativeThreadSettingsButAUsersChoiceStands() {
    Configuration c = new Configuration(false);
    c.set("mapreduce.map.env", "TZ=UTC,OMP_WAIT_POLICY=ACTIVE");
    MrDefaults.apply(c);
    assertEquals("TZ=UTC,OMP_WAIT_POLICY=ACTIVE,OPENBLAS_NUM_THREADS=1", c.get("mapreduce.map.env"));
    assertEquals("OPENBLAS_NUM_THREADS=1,OMP_WAIT_POLICY=PASSIVE", c.get("mapreduce.reduce.env"));
    MrDefaults.apply(c);
    assertEquals("OPENBLAS_NUM_THREADS=1,OMP_WAIT_POLICY=PASSIVE", c.get("mapreduce.reduce.env"), "applied once");
  }

  @Test
  void localReducersShareTheOneHeap() {
    Configuration c = new Configuration(false);
    c.setInt("mapreduce.local.reduce.tasks.maximum", 2);
    c.setInt("mapreduce.job.reduces", 4);
    MrDefaults.apply(c);
    assertEquals(0.175f, c.getFloat(SHARE, 0), 1e-6, "two reducers at a time: 35 % of the heap between them");
  }

  @Test
  void aUsersShareAndClusterJobsAreLeftAlone() {
    Configuration user = new Configuration(false);
    user.setFloat(SHARE, 0.5f);
    MrDefaults.apply(user);
    assertEquals(0.5f, user.getFloat(SHARE, 0), 0);
    Configuration yarn = new Configuration(false);
    yarn.set("mapreduce.framework.name", "yarn");
    MrDefaults.apply(yarn);
    assertNull(yarn.get(SHARE), "on a cluster each task has its own heap");
  }

  @Test
  void streamBufferAndPollIntervalReplaceOnlyHadoopsDefaults() {
    Configuration shipped = new Configuration(); // core-default.xml: io.file.buffer.size=4096
    assertEquals(4096, shipped.getInt("io.file.buffer.size", 0));
    MrDefaults.apply(shipped);
    assertEquals(128 * 1024, shipped.getInt("io.file.buffer.size", 0));
    assertEquals(100, shipped.getInt("mapreduce.client.completion.pollinterval", 0));
    Configuration user = new Configuration();
    user.setInt("io.file.buffer.size", 4096); // said on purpose, even if it equals the default
    user.setInt("mapreduce.client.completion.pollinterval", 5000);
    MrDefaults.apply(user);
    assertEquals(4096, user.getInt("io.file.buffer.size", 0));
    assertEquals(5000, user.getInt("mapreduce.client.completion.pollinterval", 0));
  }

  @Test
  void aResourceManagerThatDoesNotAnswerIsGivenUpOnInAboutAMinuteUnlessTheSiteSaysOtherwise() {
    String wait = "yarn.resourcemanager.connect.max-wait.ms";
    Configuration yarn = new org.apache.hadoop.yarn.conf.YarnConfiguration(); // yarn-default.xml: 15 minutes
    assertEquals(900_000, yarn.getLong(wait, 0));
    yarn.set("mapreduce.framework.name", "yarn");
    MrDefaults.apply(yarn);
    assertEquals(20_000, yarn.getLong(wait, 0));
    assertEquals(10_000, yarn.getLong("yarn.resourcemanager.connect.retry-interval.ms", 0));
    Configuration site = new Configuration(false);
    site.set("mapreduce.framework.name", "yarn");
    site.setLong(wait, 300_000);
    MrDefaults.apply(site);
    assertEquals(300_000, site.getLong(wait, 0));
    Configuration local = new Configuration(false);
    MrDefaults.apply(local);
    assertNull(local.get(wait), "the local runner talks to no resource manager");
    Configuration ha = new Configuration(false);
    ha.set("mapreduce.framework.name", "yarn");
    ha.setBoolean("yarn.resourcemanager.ha.enabled", true);
    MrDefaults.apply(ha);
    assertNull(ha.get(wait), "with RM HA the wait also bounds the failovers: Hadoop's stands");
  }

  @Test
  void scoreTasksGetShallowerInliningAfterTheirOwnOptionsUnlessTheyChoseTheirOwn() {
    String map = "mapreduce.map.java.opts";
    Configuration shipped = new Configuration();
    ScoreJob.shallowerInlining(shipped);
    assertEquals("-XX:FreqInlineSize=100", shipped.get(map), "no heap given: Hadoop derives it from the memory");
    Configuration cluster = new Configuration();
    cluster.set("mapred.child.java.opts", "-Xmx2g -Dx=1");
    ScoreJob.shallowerInlining(cluster);
    assertEquals("-Xmx2g -Dx=1 -XX:FreqInlineSize=100", cluster.get(map), "the cluster's task options kept");
    Configuration user = new Configuration();
    user.set(map, "-Xmx1g -XX:FreqInlineSize=325");
    ScoreJob.shallowerInlining(user);
    assertEquals("-Xmx1g -XX:FreqInlineSize=325", user.get(map), "a user's own inlining setting wins");
  }
}
