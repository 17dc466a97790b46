package tsad.registry;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One registered model version as tsad needs it.
 *
 * @param name registered model name
 * @param version version number
 * @param stage current stage
 * @param status READY, PENDING_REGISTRATION or FAILED_REGISTRATION
 * @param source where its artifacts were registered from
 * @param runId the run that produced it
 * @param aliases aliases pointing at it
 * @param tags version tags
 * @param createdMs creation time
 */
public record ModelVersionInfo(String name, String version, String stage, String status, String source,
                               String runId, List<String> aliases, Map<String, String> tags, long createdMs) {
  /** Reads the REST form ({"name": ..., "version": ..., "aliases": [...], "tags": [{key, value}]}). */
  public static ModelVersionInfo fromJson(JsonObject o) {
    List<String> aliases = new ArrayList<>();
    if (o.has("aliases")) {
      o.getAsJsonArray("aliases").forEach(e -> aliases.add(e.getAsString()));
    }
    Map<String, String> tags = new LinkedHashMap<>();
    if (o.has("tags")) {
      for (JsonElement e : o.getAsJsonArray("tags")) {
        JsonObject t = e.getAsJsonObject();
        tags.put(t.get("key").getAsString(), t.has("value") ? t.get("value").getAsString() : "");
      }
    }
    return new ModelVersionInfo(str(o, "name"), str(o, "version"), str(o, "current_stage"), str(o, "status"),
        str(o, "source"), str(o, "run_id"), List.copyOf(aliases), Map.copyOf(tags),
        o.has("creation_timestamp") ? o.get("creation_timestamp").getAsLong() : 0);
  }

  private static String str(JsonObject o, String k) {
    return o.has(k) && !o.get(k).isJsonNull() ? o.get(k).getAsString() : "";
  }

  /** Version as a number, for ordering. */
  public int number() {
    return Integer.parseInt(version);
  }
}
