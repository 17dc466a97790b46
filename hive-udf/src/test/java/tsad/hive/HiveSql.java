package tsad.hive;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs SQL statements (read from standard input, each ending with a semicolon at the end of a line) on an
 * embedded Hive whose metastore and warehouse live in the directory given as the only argument, printing each
 * query's rows; {@code scripts/hive-sql.sh} starts it with the shaded jar beside the Hive stack. For trying
 * {@code score_anomaly()} without a cluster, as the quickstart does.
 */
public final class HiveSql {
  private HiveSql() {}

  /** Entry point: {@code HiveSql DIR < statements.sql}; exits 1 with Hive's message when a statement fails. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: HiveSql DIR < statements.sql");
      System.exit(2);
    }
    String text = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : text.split("\n")) {
      if (line.strip().startsWith("--")) {
        continue;
      }
      current.append(line).append('\n');
      if (line.strip().endsWith(";")) {
        String s = current.toString().strip();
        statements.add(s.substring(0, s.length() - 1));
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      statements.add(current.toString().strip());
    }
    try (EmbeddedHive hive = new EmbeddedHive(Path.of(args[0]))) {
      org.apache.hadoop.hive.ql.session.SessionState.get().setIsSilent(true); // no per-stage console lines
      for (String s : statements) {
        for (String row : hive.sql(s)) {
          System.out.println(row);
        }
      }
    } catch (org.apache.hadoop.hive.ql.processors.CommandProcessorException e) {
      System.err.println("hive-sql: " + e.getMessage());
      System.exit(1);
    }
    System.exit(0); // Hive leaves non-daemon threads behind
  }
}
