package tsad.core.model;

/** Version strings of tsad and its libraries, read from jar manifests. */
public final class Versions {
  /** tsad's own version (from the jar manifest, or "dev" when run from classes). */
  public static final String TSAD = of(Versions.class);

  private Versions() {}

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
