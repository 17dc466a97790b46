package tsad.core.model;

/** Version strings of tsad and its libraries, read from jar manifests. */
public final class Versions {
  /** tsad's own version (from the jar manifest, or "dev" when run from classes). */
  public static final String TSAD = of(Versions.class);
  /**
   * The git commit tsad was built from, with "-dirty" when the build had uncommitted changes, or "" when it was
   * built outside a git checkout: baked in by the build (build.properties), never read from the user's directory.
   */
  public static final String COMMIT = buildCommit();

  private Versions() {}

  private static String buildCommit() {
    java.util.Properties p = new java.util.Properties();
    try (java.io.InputStream in = Versions.class.getResourceAsStream("build.properties")) {
      if (in == null) {
        return "";
      }
      p.load(in);
    } catch (java.io.IOException e) {
      return "";
    }
    String id = p.getProperty("git.commit.id", "");
    return id.isEmpty() || !Boolean.parseBoolean(p.getProperty("git.dirty", "false")) ? id : id + "-dirty";
  }

  /** The implementation version of the jar holding {@code c}, or "unknown". */
  public static String of(Class<?> c) {
    Package p = c.getPackage();
    String v = p == null ? null : p.getImplementationVersion();
    if (v == null && c == Versions.class) {
      return "dev";
    }
    return v == null ? "unknown" : v;
  }
}
