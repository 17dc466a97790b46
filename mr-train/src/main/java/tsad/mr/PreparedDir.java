package tsad.mr;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.lib.output.FileOutputCommitter;
import com.google.protobuf.InvalidProtocolBufferException;
import tsad.core.data.DataException;
import tsad.core.io.Sha256Sums;
import tsad.proto.PreparedData;
import tsad.proto.PreparedLayout;
import tsad.proto.PreparedPart;

/**
 * What makes a prepared directory whole, written by the prepare job and checked by every reader. After the job's
 * output is committed ({@code _SUCCESS}), the client writes the report {@code _tsad_prepared.pb}, which lists every
 * part file with its length and record count, then its seal {@code _tsad_prepared.sha256}, last. A reader refuses a
 * directory whose seal, report, {@code _SUCCESS} or part files disagree, in one line naming what is missing or
 * changed; the parts' contents are verified by the file system's checksums (HDFS always; local files by their
 * {@code .crc}, which must be there).
 */
public final class PreparedDir {
  /** The seal of the report: its sha256, in {@code sha256sum} format, written after everything else. */
  public static final String SEAL = "_tsad_prepared.sha256";
  /** The marker the job's committer writes when every task's output is in place (Oozie's done flag). */
  public static final String SUCCESS = FileOutputCommitter.SUCCEEDED_FILE_NAME;
  private static final String AGAIN = "; run tsad prepare again";

  private PreparedDir() {}

  /** Writes {@code report} into {@code dir} and then its seal, each aside first and renamed into place. */
  static void write(FileSystem fs, Path dir, PreparedData report) throws IOException {
    byte[] bytes = report.toByteArray();
    put(fs, new Path(dir, PrepareJob.MANIFEST), bytes);
    put(fs, new Path(dir, SEAL), Sha256Sums.of(Map.of(PrepareJob.MANIFEST, bytes)).toBytes());
  }

  private static void put(FileSystem fs, Path file, byte[] bytes) throws IOException {
    Path aside = new Path(file.getParent(), "." + file.getName() + ".tmp");
    try (FSDataOutputStream out = fs.create(aside, true)) {
      out.write(bytes);
    }
    if (!fs.rename(aside, file)) {
      throw new IOException("cannot rename " + aside + " to " + file);
    }
  }

  /**
   * The report of prepared directory {@code dir} once the directory is checked whole: sealed report, {@code _SUCCESS},
   * exactly the listed part files at their lengths, each with its checksum file on a local file system.
   */
  public static PreparedData open(Path dir, Configuration conf) throws IOException {
    FileSystem fs = dir.getFileSystem(conf);
    Path m = new Path(dir, PrepareJob.MANIFEST);
    if (!fs.exists(m)) {
      throw new DataException(dir + " is not the output of tsad prepare (" + PrepareJob.MANIFEST + " is missing)");
    }
    byte[] bytes = read(fs, m, dir);
    Path seal = new Path(dir, SEAL);
    if (!fs.exists(seal)) {
      PreparedData old = parseOrNull(bytes);
      if (old != null && (old.getLayout() != PreparedLayout.SERIES || old.getPartsCount() == 0)) {
        refuseOlder(dir, old);
      }
      throw new DataException("prepared data " + dir + " is incomplete: " + SEAL + " is missing (tsad prepare writes "
          + "it last)" + AGAIN);
    }
    String why;
    try {
      why = Sha256Sums.parse(read(fs, seal, dir)).mismatch(PrepareJob.MANIFEST, bytes);
    } catch (IllegalArgumentException e) {
      why = SEAL + " is not a seal: " + e.getMessage();
    }
    if (why != null) {
      throw new DataException("prepared data " + dir + " has been changed: " + PrepareJob.MANIFEST + " is not what "
          + "tsad prepare wrote (" + why + ")" + AGAIN);
    }
    PreparedData d = parseOrNull(bytes);
    if (d == null) {
      throw new IllegalStateException(m + " matches its seal but does not parse");   // a bug in the writer
    }
    refuseOlder(dir, d);
    if (!fs.exists(new Path(dir, SUCCESS))) {
      throw new DataException("prepared data " + dir + " is incomplete: " + SUCCESS + " is missing (the job's output "
          + "was not committed)" + AGAIN);
    }
    checkParts(fs, dir, d);
    return d;
  }

  private static void refuseOlder(Path dir, PreparedData d) {
    if (d.getLayout() != PreparedLayout.SERIES) {
      throw new DataException(dir + " was prepared by an older tsad (one record per window); run tsad prepare "
          + "again on its input");
    }
    if (d.getPartsCount() == 0) {
      throw new DataException(dir + " was prepared by an older tsad (no record of its part files, so a lost or cut "
          + "part cannot be noticed); run tsad prepare again on its input");
    }
  }

  /** Refuses unless the part files are exactly the report's, at its lengths, with their checksums. */
  private static void checkParts(FileSystem fs, Path dir, PreparedData d) throws IOException {
    Map<String, FileStatus> found = new TreeMap<>();
    FileStatus[] parts = fs.globStatus(new Path(dir, "part-r-*"));
    for (FileStatus st : parts == null ? new FileStatus[0] : parts) {
      found.put(st.getPath().getName(), st);
    }
    for (PreparedPart p : d.getPartsList()) {
      FileStatus st = found.remove(p.getName());
      if (st == null) {
        throw new DataException("prepared data " + dir + " is incomplete: " + p.getName() + " is missing (its report "
            + "lists " + d.getPartsCount() + " part file" + (d.getPartsCount() == 1 ? "" : "s") + ")" + AGAIN);
      }
      if (st.getLen() != p.getBytes()) {
        throw new DataException("prepared data " + dir + " has been changed: " + p.getName() + " has " + st.getLen()
            + " bytes, its report says " + p.getBytes() + AGAIN);
      }
      if (fs instanceof ChecksumFileSystem c && !fs.exists(c.getChecksumFile(st.getPath()))) {
        throw new DataException("prepared data " + dir + " is incomplete: " + p.getName() + " has lost its checksum "
            + "file " + c.getChecksumFile(st.getPath()).getName() + ", so its contents cannot be verified (copy prepared "
            + "data with its hidden .crc files)" + AGAIN);
      }
    }
    if (!found.isEmpty()) {
      throw new DataException("prepared data " + dir + " has been changed: " + String.join(", ", found.keySet())
          + (found.size() == 1 ? " is" : " are") + " not in its report (tsad prepare wrote " + names(d) + ")" + AGAIN);
    }
  }

  /**
   * Refuses part file {@code part} of {@code dir} unless it held the records {@code d}'s report names (their number
   * and digest); readers that read whole parts call this at each part's end.
   */
  static void checkRecords(Path dir, PreparedData d, String part, Digest read) {
    for (PreparedPart p : d.getPartsList()) {
      if (!p.getName().equals(part)) {
        continue;
      }
      if (p.getRecords() != read.records()) {
        throw new DataException("prepared data " + dir + " has been changed: " + part + " holds " + read.records()
            + " records, its report says " + p.getRecords() + AGAIN);
      }
      if (!p.getSha256().equals(read.hex())) {
        throw new DataException("prepared data " + dir + " has been changed: " + part + " holds other records than "
            + "tsad prepare wrote (expected sha256 " + p.getSha256() + ", got " + read.hex() + ")" + AGAIN);
      }
    }
  }

  /**
   * Refuses the prepared data {@code dir} unless the records a job read from all its parts, in splits, are the ones
   * its report lists: their number and the sum of their hashes. The score job calls this when its tasks are done,
   * which catches a part swapped for another of the same length (the same slices from another day); the sum cannot
   * tell which part, nor parts swapped with each other in the same directory, which hold the same records.
   */
  static void checkAllRecords(Path dir, PreparedData d, long records, long hashSum) {
    long expected = 0;
    long sum = 0;
    boolean summed = true;
    for (PreparedPart p : d.getPartsList()) {
      expected += p.getRecords();
      sum += p.getRecordHashSum();
      summed &= p.hasRecordHashSum();
    }
    if (records != expected) {
      throw new DataException("prepared data " + dir + " has been changed: its parts hold " + records
          + " records, its report says " + expected + AGAIN);
    }
    if (summed && hashSum != sum) {
      throw new DataException("prepared data " + dir + " has been changed: its parts hold other records than tsad "
          + "prepare wrote (a part replaced by another of the same length?)" + AGAIN);
    }
  }

  /**
   * The digest of a part file's records as {@link PreparedPart#getSha256} defines it: the same whether computed from
   * what a reducer writes or what a reader reads, whatever the file's compression.
   */
  static final class Digest {
    private final MessageDigest md = sha256();
    private final MessageDigest one = sha256();
    private final byte[] length = new byte[4];
    private long records;
    private long hashSum;

    /** Adds one record. */
    void add(Text key, BytesWritable value) {
      update(md, key.getBytes(), key.getLength());
      update(md, value.getBytes(), value.getLength());
      hashSum += hash(key, value);
      records++;
    }

    /**
     * The hash of one record that {@link PreparedPart#getRecordHashSum} adds up: the first 8 bytes of the sha256 of
     * its key's and value's length and bytes. A sum, unlike the part's digest, can be added up by tasks that each
     * read a split of the part, in any order.
     */
    long hash(Text key, BytesWritable value) {
      update(one, key.getBytes(), key.getLength());
      update(one, value.getBytes(), value.getLength());
      return java.nio.ByteBuffer.wrap(one.digest()).getLong();
    }

    private void update(MessageDigest d, byte[] b, int n) {
      length[0] = (byte) (n >>> 24);
      length[1] = (byte) (n >>> 16);
      length[2] = (byte) (n >>> 8);
      length[3] = (byte) n;
      d.update(length);
      d.update(b, 0, n);
    }

    private static MessageDigest sha256() {
      try {
        return MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    /** Records added. */
    long records() {
      return records;
    }

    /** The sum (mod 2^64) of the records' hashes. */
    long hashSum() {
      return hashSum;
    }

    /** The hex sha256 of the records added (call once, at the end). */
    String hex() {
      return HexFormat.of().formatHex(md.digest());
    }
  }

  /** The error for a part file whose bytes fail the file system's checksum. */
  static DataException damaged(Path dir, Path part, ChecksumException e) {
    return new DataException("prepared data " + dir + " has been changed: " + part.getName() + " does not match its "
        + "checksum (" + e.getMessage() + ")" + AGAIN, e);
  }

  private static String names(PreparedData d) {
    String[] n = d.getPartsList().stream().map(PreparedPart::getName).toArray(String[]::new);
    Arrays.sort(n);
    return n.length <= 3 ? String.join(", ", n) : n[0] + " ... " + n[n.length - 1];
  }

  private static byte[] read(FileSystem fs, Path file, Path dir) throws IOException {
    try (var in = fs.open(file)) {
      return in.readAllBytes();
    } catch (ChecksumException e) {
      throw damaged(dir, file, e);
    }
  }

  private static PreparedData parseOrNull(byte[] bytes) {
    try {
      return PreparedData.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      return null;
    }
  }
}
