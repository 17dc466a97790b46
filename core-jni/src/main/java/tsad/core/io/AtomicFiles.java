package tsad.core.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Files written aside, then renamed into place: a reader sees the old file or the whole new one, never a truncated
 * one (a full disk or a crash mid-write leaves at most a hidden {@code .NAME.tmp-*} file, which the failed write
 * removes when it can).
 */
public final class AtomicFiles {
  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  private AtomicFiles() {}

  /**
   * Writes several files that belong together: every one aside first, then all renamed in the map's order (put the
   * one that makes the set count, e.g. a manifest, last). A write that fails (a full disk) renames none of them, so
   * the files already there stay as they were, a whole set.
   */
  public static void writeAll(java.util.Map<Path, byte[]> files) throws IOException {
    java.util.List<Pending> written = new java.util.ArrayList<>();
    try {
      for (java.util.Map.Entry<Path, byte[]> e : files.entrySet()) {
        Pending p = begin(e.getKey());
        written.add(p);
        try (OutputStream out = p.stream()) {
          out.write(e.getValue());
        }
      }
    } catch (IOException | RuntimeException | Error e) {
      written.forEach(Pending::abandon);
      throw e;
    }
    for (int i = 0; i < written.size(); i++) {
      try {
        written.get(i).commit();
      } catch (IOException e) {
        written.subList(i + 1, written.size()).forEach(Pending::abandon);
        throw e;
      }
    }
  }

  /**
   * Starts writing {@code target} aside, for content written over time (a score output, a rejects file): {@link
   * Pending#commit} puts it in place, {@link Pending#abandon} removes it.
   */
  public static Pending begin(Path target) throws IOException {
    Path abs = target.toAbsolutePath();
    if (Files.isDirectory(abs)) {
      throw new java.nio.file.FileSystemException(target.toString(), null, "is a directory");
    }
    // Not Files.createTempFile: its files are private (0600); these get the usual permissions (umask).
    Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp-" + Long.toHexString(RANDOM.nextLong()));
    return new Pending(target, tmp, FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
  }

  /**
   * Shows that {@code dir} can be made and written (a probe file in it, or in its nearest existing ancestor, removed
   * again) without creating it, so a command refuses an output it cannot write before any work rather than after it,
   * and a command that then fails for another reason leaves no empty output directory behind.
   */
  public static void checkWritableDirectory(Path dir) throws IOException {
    Path existing = dir.toAbsolutePath();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      throw new java.nio.file.NoSuchFileException(dir.toString());
    }
    if (!Files.isDirectory(existing)) {
      throw new java.nio.file.FileAlreadyExistsException(existing.toString());
    }
    begin(existing.resolve("probe")).abandon();
  }

  /**
   * What went wrong in a write, for a message that names the file itself: the system's reason ("No space left on
   * device", "Read-only file system") without the hidden temporary file's name.
   */
  public static String reason(IOException e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "its directory does not exist";
    }
    if (e instanceof java.nio.file.FileAlreadyExistsException f) {
      return f.getFile() + " is in the way: it is a file, not a directory";
    }
    if (e instanceof java.nio.file.FileSystemException f && "Not a directory".equals(f.getReason())
        && f.getFile() != null) {
      // The system says only that some part of the path is no directory: name the file that is in the way.
      for (Path p = Path.of(f.getFile()).toAbsolutePath(); p != null; p = p.getParent()) {
        if (Files.isRegularFile(p)) {
          return p + " is in the way: it is a file, not a directory";
        }
      }
    }
    if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return String.valueOf(e.getMessage());
  }

  /** A file being written aside. */
  public static final class Pending {
    private final Path target;
    private final Path tmp;
    private final FileChannel channel;

    private Pending(Path target, Path tmp, FileChannel channel) {
      this.target = target;
      this.tmp = tmp;
      this.channel = channel;
    }

    /** The stream to write the content to; close it before {@link #commit}. */
    public OutputStream stream() {
      OutputStream s = Channels.newOutputStream(channel);
      return new java.io.FilterOutputStream(s) {
        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
          // On disk before the rename: a crash after it must not leave a complete-looking empty file.
          try {
            channel.force(true);
          } finally {
            super.close();
          }
        }
      };
    }

    /** Renames the written file into place. */
    public void commit() throws IOException {
      try {
        try {
          Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } catch (IOException e) {
        abandon();
        throw e;
      }
    }

    /** Removes the partial file (a failed write leaves nothing behind that it can remove). */
    public void abandon() {
      try {
        channel.close();
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) { // the disk that failed the write may fail this too: the name says it is partial
      }
    }
  }
}
