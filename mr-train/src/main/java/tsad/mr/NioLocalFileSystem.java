package tsad.mr;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.FileSystemException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;
import java.util.Map;
import org.apache.hadoop.fs.FSLinkResolver;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Hadoop's local file system with permissions, file status and link targets through java.nio. Without Hadoop's native
 * library (a plain Maven install has none) Hadoop runs a {@code chmod}, {@code ls -ld} or {@code readlink} process
 * for each of these: about 170 processes, most of a second, for every local job (staging, distributed-cache
 * localisation, task output). The local job runner uses this class unless the user or a site file chose a local
 * file system ({@link MrDefaults}); anything the unix attribute view cannot do goes to Hadoop's own code.
 */
public class NioLocalFileSystem extends LocalFileSystem {
  /** The checksummed local file system over {@link Raw}. */
  public NioLocalFileSystem() {
    super(new Raw());
  }

  /** Raw (unchecksummed) local files: Hadoop's, with the process-per-call operations done in this JVM. */
  public static class Raw extends RawLocalFileSystem {
    private static final String ATTRIBUTES = "unix:mode,owner,group,size,lastModifiedTime,lastAccessTime";

    @Override
    public FileStatus getFileStatus(Path p) throws IOException {
      FileStatus s = status(p, true);
      return s != null ? s : super.getFileStatus(p);
    }

    @Override
    public FileStatus getFileLinkStatus(Path p) throws IOException {
      FileStatus s = status(p, false);
      if (s == null) {
        return super.getFileLinkStatus(p);
      }
      if (s.isSymlink()) {
        s.setSymlink(FSLinkResolver.qualifySymlinkTarget(getUri(), p, s.getSymlink())); // as Hadoop's does
      }
      return s;
    }

    @Override
    public Path getLinkTarget(Path p) throws IOException {
      FileStatus s = status(p, false);
      return s == null ? super.getLinkTarget(p) : s.getSymlink();
    }

    @Override
    public void setPermission(Path p, FsPermission permission) throws IOException {
      try {
        Files.setAttribute(pathToFile(p).toPath(), "unix:mode", (int) permission.toShort());
      } catch (UnsupportedOperationException | IllegalArgumentException e) {
        super.setPermission(p, permission);
      } catch (NoSuchFileException e) {
        throw new FileNotFoundException("File " + p + " does not exist");
      }
    }

    /**
     * The status of {@code p} from one stat call, following a final link or not; null when the platform has no
     * unix attribute view (Hadoop's own code answers then).
     */
    private FileStatus status(Path p, boolean follow) throws IOException {
      java.nio.file.Path f = pathToFile(p).toPath();
      LinkOption[] how = follow ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
      Map<String, Object> a;
      try {
        a = Files.readAttributes(f, ATTRIBUTES, how);
      } catch (UnsupportedOperationException | IllegalArgumentException e) {
        return null;
      } catch (FileSystemException e) {
        // Missing, a file in the path's middle (ENOTDIR), unreadable: Hadoop's File.exists() says no to them all.
        throw (FileNotFoundException) new FileNotFoundException("File " + p + " does not exist").initCause(e);
      }
      int mode = (Integer) a.get("mode");
      int type = mode & 0170000;
      Path link = type == 0120000 ? new Path(Files.readSymbolicLink(f).toString()) : null;
      return new FileStatus((Long) a.get("size"), type == 0040000, 1, getDefaultBlockSize(p),
          ((java.nio.file.attribute.FileTime) a.get("lastModifiedTime")).toMillis(),
          ((java.nio.file.attribute.FileTime) a.get("lastAccessTime")).toMillis(),
          new FsPermission((short) (mode & 01777)), ((UserPrincipal) a.get("owner")).getName(),
          ((GroupPrincipal) a.get("group")).getName(), link,
          new Path(f.toString()).makeQualified(getUri(), getWorkingDirectory()));
    }
  }
}
