package tsad.registry;

import java.util.Set;
import tsad.core.data.DataException;

/**
 * A model reference: a local bundle path, or a registry URI {@code models:/NAME/VERSION},
 * {@code models:/NAME/STAGE}, {@code models:/NAME@ALIAS} or {@code models:/NAME/latest}.
 *
 * @param text the URI as given
 * @param name registered model name (null for a path)
 * @param version version number, or null
 * @param stage stage (None, Staging, Production, Archived), or null
 * @param alias alias, or null
 * @param latest true for models:/NAME/latest
 */
public record ModelUri(String text, String name, String version, String stage, String alias, boolean latest) {
  /** The registry stages, in MLflow's spelling. */
  public static final Set<String> STAGES = Set.of("None", "Staging", "Production", "Archived");

  /** True for models:/ URIs, false for bundle paths. */
  public boolean isRegistry() {
    return name != null;
  }

  /** True when the URI can point to another version later (alias, stage, latest). */
  public boolean isMovable() {
    return isRegistry() && version == null;
  }

  /** Parses a model reference; malformed models:/ URIs fail with the accepted forms. */
  public static ModelUri parse(String text) {
    if (!text.startsWith("models:/")) {
      return new ModelUri(text, null, null, null, null, false);
    }
    String rest = text.substring("models:/".length());
    String forms = "; use models:/NAME/VERSION, models:/NAME/STAGE (None, Staging, Production, Archived), "
        + "models:/NAME@ALIAS or models:/NAME/latest";
    int at = rest.indexOf('@');
    if (at > 0 && rest.indexOf('/') < 0) {
      String alias = rest.substring(at + 1);
      if (alias.isEmpty()) {
        throw new DataException("model URI " + text + " has an empty alias" + forms);
      }
      return new ModelUri(text, rest.substring(0, at), null, null, alias, false);
    }
    int slash = rest.lastIndexOf('/');
    if (slash <= 0 || slash == rest.length() - 1) {
      throw new DataException("malformed model URI " + text + forms);
    }
    String name = rest.substring(0, slash);
    String ref = rest.substring(slash + 1);
    if (ref.chars().allMatch(Character::isDigit)) {
      return new ModelUri(text, name, ref, null, null, false);
    }
    if (ref.equalsIgnoreCase("latest")) {
      return new ModelUri(text, name, null, null, null, true);
    }
    for (String s : STAGES) {
      if (s.equalsIgnoreCase(ref)) {
        return new ModelUri(text, name, null, s, null, false);
      }
    }
    throw new DataException("model URI " + text + ": '" + ref + "' is not a version number, stage or 'latest'"
        + forms);
  }

  /** models:/NAME/VERSION for a resolved version. */
  public static String of(String name, String version) {
    return "models:/" + name + "/" + version;
  }

  /** Canonical stage spelling, or an error listing the stages. */
  public static String stage(String s) {
    for (String st : STAGES) {
      if (st.equalsIgnoreCase(s)) {
        return st;
      }
    }
    throw new DataException("unknown stage '" + s + "'; use one of " + STAGES);
  }
}
