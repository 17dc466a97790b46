package tsad.mr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.NativeCodeLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-process local file system answers as Hadoop's own (which runs ls, chmod and readlink processes here):
 * the same permissions, owners, sizes and kinds, links, and a missing file is FileNotFoundException; the local job
 * runner gets it unless the user or a cluster says otherwise.
 */
class NioLocalFileSystemTest {
  @TempDir
  java.nio.file.Path dir;

  private static FileSystem fs(FileSystem raw) throws Exception {
    raw.initialize(java.net.URI.create("file:///"), new Configuration());
    return raw;
  }

  @Test
  void statusAndPermissionsMatchHadoopsOwnLocalFileSystem() throws Exception {
    FileSystem ours = fs(new NioLocalFileSystem.Raw());
    FileSystem hadoops = fs(new RawLocalFileSystem());
    Path file = new Path(dir.resolve("part").toUri());
    try (FSDataOutputStream out = ours.create(file, new FsPermission((short) 0640), false, 4096, (short) 1, 1 << 20,
        null)) {
      out.write("twelve bytes".getBytes(StandardCharsets.UTF_8));
    }
    Path sub = new Path(dir.resolve("sub").toUri());
    assertTrue(ours.mkdirs(sub, new FsPermission((short) 0750)));
    Path sticky = new Path(dir.resolve("shared").toUri());
    assertTrue(ours.mkdirs(sticky));
    ours.setPermission(sticky, new FsPermission((short) 01777));
    for (Path p : new Path[] {file, sub, sticky, new Path(dir.toUri())}) {
      FileStatus a = ours.getFileStatus(p);
      FileStatus b = hadoops.getFileStatus(p);
      assertEquals(b.getPermission(), a.getPermission(), p + " permission");
      assertEquals(b.getOwner(), a.getOwner(), p + " owner");
      assertEquals(b.getGroup(), a.getGroup(), p + " group");
      assertEquals(b.isDirectory(), a.isDirectory(), p + " kind");
      assertEquals(b.getPath(), a.getPath(), p + " path");
      assertEquals(b.getModificationTime(), a.getModificationTime(), p + " mtime");
      if (!a.isDirectory()) {
        assertEquals(12, a.getLen());
        assertEquals(b.getLen(), a.getLen());
      }
    }
    assertEquals(new FsPermission((short) 0640), ours.getFileStatus(file).getPermission(), "create set the mode");
    assertEquals(new FsPermission((short) 0750), ours.getFileStatus(sub).getPermission(), "mkdirs set the mode");
    assertTrue(ours.getFileStatus(sticky).getPermission().getStickyBit(), "the sticky bit is kept");
  }

  @Test
  void linksAndMissingFilesAnswerAsHadoopDoes() throws Exception {
    FileSystem ours = fs(new NioLocalFileSystem.Raw());
    FileSystem hadoops = fs(new RawLocalFileSystem());
    Files.writeString(dir.resolve("target"), "x");
    // Unqualified: Hadoop's own readlink fallback reads "file:/..." as a relative file name and sees no link.
    Path link = new Path(dir.resolve("link").toString());
    Files.createSymbolicLink(dir.resolve("link"), dir.resolve("target"));
    FileStatus s = ours.getFileLinkStatus(link);
    assertTrue(s.isSymlink());
    assertEquals(hadoops.getFileLinkStatus(link).getSymlink(), s.getSymlink());
    assertEquals(hadoops.getLinkTarget(link), ours.getLinkTarget(link));
    assertFalse(ours.getFileStatus(link).isSymlink(), "getFileStatus follows the link");
    assertEquals(1, ours.getFileStatus(link).getLen());
    assertFalse(ours.getFileLinkStatus(new Path(dir.resolve("target").toUri())).isSymlink());
    Path missing = new Path(dir.resolve("missing").toUri());
    assertThrows(FileNotFoundException.class, () -> ours.getFileStatus(missing));
    assertThrows(FileNotFoundException.class, () -> hadoops.getFileStatus(missing));
    assertThrows(FileNotFoundException.class, () -> ours.getFileLinkStatus(missing));
    Path underAFile = new Path(dir.resolve("target").resolve("child").toUri()); // ENOTDIR, not ENOENT
    assertThrows(FileNotFoundException.class, () -> hadoops.getFileStatus(underAFile));
    assertThrows(FileNotFoundException.class, () -> ours.getFileStatus(underAFile));
    assertFalse(ours.exists(underAFile));
    assertThrows(FileNotFoundException.class, () -> ours.setPermission(missing, FsPermission.getDefault()));
  }

  @Test
  void theLocalRunnerGetsItUnlessSomeoneChoseOtherwise() {
    Configuration local = new Configuration();
    MrDefaults.apply(local);
    // With Hadoop's native library the stock file system forks nothing, and stays.
    String expected = NativeCodeLoader.isNativeCodeLoaded() ? null : NioLocalFileSystem.class.getName();
    assertEquals(expected, local.get("fs.file.impl"));
    Configuration user = new Configuration();
    user.set("fs.file.impl", "org.apache.hadoop.fs.LocalFileSystem");
    MrDefaults.apply(user);
    assertEquals("org.apache.hadoop.fs.LocalFileSystem", user.get("fs.file.impl"));
    Configuration yarn = new Configuration();
    yarn.set("mapreduce.framework.name", "yarn");
    MrDefaults.apply(yarn);
    assertNull(yarn.get("fs.file.impl"), "a cluster's own processes would not find the class");
  }
}
