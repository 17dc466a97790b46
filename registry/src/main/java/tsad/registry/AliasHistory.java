package tsad.registry;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import tsad.core.data.DataException;

/**
 * The versions that held an alias, oldest first, kept in the registered-model tag
 * {@code tsad.alias_history.ALIAS} as "1,2,5" (MLflow itself forgets where an alias pointed before).
 */
public final class AliasHistory {
  /** Prefix of the registered-model tag that holds an alias's history. */
  public static final String TAG_PREFIX = "tsad.alias_history.";
  /** Oldest entries are dropped beyond this, so the tag stays far below MLflow's tag-value limit. */
  static final int MAX_ENTRIES = 100;

  private final String alias;
  private final List<String> versions;
  private final String holder;

  /**
   * The outcome of a rollback.
   *
   * @param from the version that held the alias
   * @param to the version that holds it now
   * @param history the history after the rollback
   */
  public record Rollback(String from, String to, AliasHistory history) {}

  private AliasHistory(String alias, List<String> versions, String holder) {
    this.alias = alias;
    this.versions = versions;
    this.holder = holder;
  }

  /** Reads the history and the current holder of an alias from a registered model's JSON. */
  static AliasHistory of(JsonObject registeredModel, String alias) {
    List<String> versions = new ArrayList<>();
    String holder = null;
    if (registeredModel != null && registeredModel.has("tags")) {
      for (JsonElement t : registeredModel.getAsJsonArray("tags")) {
        JsonObject o = t.getAsJsonObject();
        if (o.get("key").getAsString().equals(TAG_PREFIX + alias) && !o.get("value").getAsString().isBlank()) {
          versions.addAll(Arrays.asList(o.get("value").getAsString().split(",")));
        }
      }
    }
    if (registeredModel != null && registeredModel.has("aliases")) {
      for (JsonElement a : registeredModel.getAsJsonArray("aliases")) {
        if (a.getAsJsonObject().get("alias").getAsString().equals(alias)) {
          holder = a.getAsJsonObject().get("version").getAsString();
        }
      }
    }
    return new AliasHistory(alias, versions, holder);
  }

  /** The recorded holders, oldest first. */
  public List<String> versions() {
    return List.copyOf(versions);
  }

  /** The history after the alias moves to {@code version}. */
  AliasHistory moved(String version) {
    List<String> v = new ArrayList<>(versions);
    // An alias moved outside tsad (UI, Python) still counts as a holder, so rollback can return to it.
    if (holder != null && (v.isEmpty() || !last(v).equals(holder))) {
      v.add(holder);
    }
    if (v.isEmpty() || !last(v).equals(version)) {
      v.add(version);
    }
    return new AliasHistory(alias, v.subList(Math.max(0, v.size() - MAX_ENTRIES), v.size()), version);
  }

  /** Pops the current holder and returns the previous one that still exists; fails when there is none. */
  Rollback rollback(Set<String> existing, String model) {
    if (holder == null) {
      throw new DataException("model '" + model + "' has no alias @" + alias + " to roll back");
    }
    List<String> v = new ArrayList<>(versions);
    // Drop the current holder, and entries for versions deleted since they held the alias.
    while (!v.isEmpty() && (last(v).equals(holder) || !existing.contains(last(v)))) {
      v.remove(v.size() - 1);
    }
    if (v.isEmpty()) {
      throw new DataException("no earlier holder of @" + alias + " recorded for model " + model
          + " (it points at version " + holder + "; history: "
          + (versions.isEmpty() ? "none" : String.join(", ", versions)) + ")");
    }
    return new Rollback(holder, last(v), new AliasHistory(alias, v, last(v)));
  }

  /** The request body that stores this history as the registered-model tag. */
  JsonObject tagBody(String model) {
    JsonObject body = new JsonObject();
    body.addProperty("name", model);
    body.addProperty("key", TAG_PREFIX + alias);
    body.addProperty("value", String.join(",", versions));
    return body;
  }

  private static String last(List<String> v) {
    return v.get(v.size() - 1);
  }
}
