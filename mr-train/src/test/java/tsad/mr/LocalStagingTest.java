package tsad.mr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local job runner's staging directory belongs to the user who runs the job: a second user runs a prepare job
 * after another user created Hadoop's shared fallback ({@code /tmp/hadoop/mapred/staging}, writable by its owner
 * only). The second user is a real one: the test creates a system user with {@code useradd} and runs tsad in a
 * child JVM under its uid with {@code setpriv}, so it needs root (it is skipped otherwise) and removes the user
 * afterwards.
 */
class LocalStagingTest {
  private static final String USER = "tsad-staging-test";
  @TempDir static Path dir;
  private static boolean created;

  @BeforeAll
  static void secondUser() throws Exception {
    assertTrue("root".equals(System.getProperty("user.name")), "creating a second user needs root");
    assertTrue(new File("/usr/sbin/useradd").canExecute() && new File("/usr/bin/setpriv").canExecute(),
        "needs useradd and setpriv");
    if (run(List.of("id", "-u", USER), null) != 0) {
      assertEquals(0, run(List.of("/usr/sbin/useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
          USER), null), "useradd failed");
      created = true;
    }
  }

  @AfterAll
  static void removeUser() throws Exception {
    if (created) {
      run(List.of("/usr/sbin/userdel", USER), null);
    }
  }

  @Test
  void theConfiguredStagingRootIsUnderTheUsersOwnTemporaryDirectory() {
    Configuration c = new Configuration();
    MrDefaults.apply(c);
    assertEquals("/tmp/hadoop-" + System.getProperty("user.name") + "/mapred/staging", c.get(MrDefaults.STAGING_ROOT));
    Configuration site = new Configuration(false);
    site.set(MrDefaults.STAGING_ROOT, "/data/staging");
    MrDefaults.apply(site);
    assertEquals("/data/staging", site.get(MrDefaults.STAGING_ROOT), "a site's or user's choice stands");
  }

  @Test
  void aSecondUserRunsAJobAfterAnotherUserCreatedTheSharedFallback() throws Exception {
    // What the first user of Hadoop's fallback leaves: the shared root, owned by that user (here root), mode 755.
    Path shared = Files.createDirectories(Path.of("/tmp/hadoop/mapred/staging"));
    // Whoever made it before this test, it is now as the first user (root) leaves it.
    Files.setOwner(shared, shared.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("root"));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path cp = Files.createDirectories(dir.resolve("cp"));
    Path home = Files.createDirectories(dir.resolve("home"));
    run(List.of("chown", USER, home.toString()), null);
    Path csv = dir.resolve("rows.csv");
    StringBuilder rows = new StringBuilder("slice_id,time,value\n");
    for (int s = 0; s < 3; s++) {
      for (int t = 0; t < 8; t++) {
        rows.append("s").append(s).append(',').append(t).append(',').append(Math.sin(t + s)).append('\n');
      }
    }
    Files.writeString(csv, rows);
    Path log = dir.resolve("child.log");
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/setpriv", "--reuid", USER, "--regid", USER, "--clear-groups",
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-cp",
        readableClasspath(cp), "tsad.Main", "prepare", "--input", csv.toString(), "--output",
        home.resolve("prepared").toString(), "--window", "8"));
    int code = run(cmd, pb -> {
      pb.directory(home.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().put("HOME", home.toString());
      pb.environment().put("OPENBLAS_NUM_THREADS", "1");
    });
    String out = Files.readString(log, StandardCharsets.UTF_8);
    assertEquals(0, code, out);
    assertTrue(out.contains("prepared 3 windows"), out);
    Path own = Path.of("/tmp/hadoop-" + USER, "mapred", "staging");
    assertTrue(Files.isDirectory(own), "no staging directory of the user's own at " + own + ":\n" + out);
    assertEquals(USER, Files.getOwner(own).getName());
  }

  /**
   * This JVM's class path, readable by the second user: jars (many under root's home, which others may not enter)
   * hard-linked, or copied, into {@code into}; directories as they are.
   */
  private static String readableClasspath(Path into) throws IOException {
    List<String> out = new ArrayList<>();
    int i = 0;
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(e);
      if (!Files.isRegularFile(p)) {
        out.add(p.toAbsolutePath().toString());
        continue;
      }
      Path link = into.resolve(i++ + "-" + p.getFileName());
      try {
        Files.createLink(link, p); // the same file: its mode (Maven's 644) stands, and nothing is copied
      } catch (IOException | UnsupportedOperationException notLinked) {
        Files.copy(p, link);
        Files.setPosixFilePermissions(link, PosixFilePermissions.fromString("rw-r--r--"));
      }
      out.add(link.toString());
    }
    return String.join(File.pathSeparator, out);
  }

  private interface Setup {
    void apply(ProcessBuilder pb);
  }

  private static int run(List<String> cmd, Setup setup) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    if (setup == null) {
      pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    } else {
      setup.apply(pb);
    }
    Process p = pb.start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + cmd);
    }
    return p.exitValue();
  }
}
