package tsad.core.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A small tmpfs mounted for a test, to show what tsad does on a full disk or a read-only file system. Mounting needs
 * root (the test machines run tests as root); without it the test fails and says so, it is not skipped.
 */
public final class TinyDisk implements AutoCloseable {
  private final Path root;

  private TinyDisk(Path root) {
    this.root = root;
  }

  /** Mounts a tmpfs of {@code size} (mount's syntax: 64k, 1m) at the new directory {@code at}. */
  public static TinyDisk mount(Path at, String size) throws IOException, InterruptedException {
    Files.createDirectories(at);
    run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", at.toString());
    return new TinyDisk(at);
  }

  /** The mounted directory. */
  public Path root() {
    return root;
  }

  /** Fills the disk's free space with a file, so that the next write that needs a block fails (ENOSPC). */
  public void fill() throws IOException {
    byte[] block = new byte[4096];
    try (OutputStream out = Files.newOutputStream(root.resolve("filler"))) {
      while (true) {
        out.write(block);
        out.flush();
      }
    } catch (IOException e) {
      if (!String.valueOf(e.getMessage()).contains("No space left on device")) {
        throw e;
      }
    }
  }

  /** Makes the file system read-only (what a remount after disk errors does). */
  public void readOnly() throws IOException, InterruptedException {
    run("mount", "-o", "remount,ro", root.toString());
  }

  /** Unmounts the disk; lazily, because a writer that failed on it (a Hadoop task) may still hold a file open. */
  @Override
  public void close() throws IOException, InterruptedException {
    run("umount", "--lazy", root.toString());
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
    String said = new String(p.getInputStream().readAllBytes()).strip();
    if (p.waitFor() != 0) {
      throw new AssertionError(String.join(" ", command) + " failed (" + said + "): this test needs root to mount a "
          + "small tmpfs, to show a full disk and a read-only file system");
    }
  }
}
