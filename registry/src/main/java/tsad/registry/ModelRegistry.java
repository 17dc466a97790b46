package tsad.registry;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import tsad.core.data.DataException;

/**
 * The MLflow model registry: register versions (and wait until READY), aliases with their history, stages,
 * listing, and resolving models:/ URIs with errors that name what exists; all through {@link MlflowRest}.
 */
public final class ModelRegistry implements AutoCloseable {
  /** How often a writer re-reads the alias before it gives up on it settling (each round is two calls). */
  private static final int SETTLE_ROUNDS = 20;
  private final MlflowRest rest;

  /** Connects to the registry of one server. */
  public ModelRegistry(MlflowSettings settings) {
    this.rest = new MlflowRest(settings);
  }

  /** The REST caller (shared retry policy). */
  public MlflowRest rest() {
    return rest;
  }

  /** Creates the registered model if it does not exist yet. */
  public void ensureModel(String name) {
    if (!exists(name)) {
      JsonObject body = new JsonObject();
      body.addProperty("name", name);
      rest.post("registered-models/create", body);
    }
  }

  /** True when a registered model of that name exists. */
  public boolean exists(String name) {
    try {
      rest.get("registered-models/get", Map.of("name", name));
      return true;
    } catch (MlflowException e) {
      if (e.notFound()) {
        return false;
      }
      throw e;
    }
  }

  /**
   * Registers a new version from artifacts already uploaded and verified, with its tags in the same
   * request, and waits until it is READY; a version that fails to become ready is deleted again.
   */
  public ModelVersionInfo register(String name, String source, String runId, Map<String, String> tags,
                                   long waitMillis) {
    ensureModel(name);
    JsonObject body = new JsonObject();
    body.addProperty("name", name);
    body.addProperty("source", source);
    body.addProperty("run_id", runId);
    JsonArray t = new JsonArray();
    tags.forEach((k, v) -> {
      JsonObject tag = new JsonObject();
      tag.addProperty("key", k);
      tag.addProperty("value", v);
      t.add(tag);
    });
    body.add("tags", t);
    ModelVersionInfo v = ModelVersionInfo.fromJson(rest.post("model-versions/create", body)
        .getAsJsonObject("model_version"));
    long deadline = System.currentTimeMillis() + waitMillis;
    try {
      while (!v.status().equals("READY")) {
        if (v.status().equals("FAILED_REGISTRATION") || System.currentTimeMillis() > deadline) {
          throw new MlflowException("model " + name + " version " + v.version() + " did not become READY (status "
              + v.status() + ")", 0, "");
        }
        Thread.sleep(200);
        v = version(name, v.version());
      }
      return v;
    } catch (RuntimeException | InterruptedException e) {
      deleteQuietly(name, v.version());
      throw e instanceof RuntimeException re ? re : new MlflowException("interrupted", 0, "");
    }
  }

  /** Deletes a version, ignoring failures (used to clean up after a failed registration). */
  public void deleteQuietly(String name, String version) {
    try {
      JsonObject body = new JsonObject();
      body.addProperty("name", name);
      body.addProperty("version", version);
      rest.delete("model-versions/delete", body);
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(ModelRegistry.class).error("could not delete half-registered {} version {}:"
          + " delete it by hand ({})", name, version, e.getMessage());
    }
  }

  /**
   * Points an alias at a version (moving it from any previous holder) and records the move in the alias
   * history, so {@link #rollbackAlias} can undo it. Every tsad path that moves an alias goes through here.
   *
   * @return the version the alias points at now: {@code version}, or a version promoted at the same time and
   *     recorded after it
   */
  public String setAlias(String name, String alias, String version) {
    String[] tag = AliasHistory.of(model(name), alias).move(version);
    setModelTag(name, tag[0], tag[1]);
    return settle(name, alias);
  }

  /** The versions that held an alias, oldest first, as tsad recorded them (MLflow keeps no alias history). */
  public List<String> aliasHistory(String name, String alias) {
    requireModel(name);
    return AliasHistory.of(model(name), alias).versions();
  }

  /**
   * Moves an alias back to its previous recorded holder (skipping versions deleted since) and records that.
   *
   * @return the versions the alias moved from and to
   */
  public AliasHistory.Rollback rollbackAlias(String name, String alias) {
    requireModel(name);
    AliasHistory h = AliasHistory.of(model(name), alias);
    java.util.Set<String> existing = versions(name).stream().map(ModelVersionInfo::version)
        .collect(Collectors.toSet());
    String[] tag = h.rollback(existing, name);
    setModelTag(name, tag[0], tag[1]);
    return new AliasHistory.Rollback(h.holder(), settle(name, alias));
  }

  /**
   * Moves the alias to where its history says it belongs until a read after the move agrees. The last writer's
   * final read sees every entry written before it, so when writers stop the alias and its history agree: the
   * alias ends at the last recorded move, and every recorded move stays in the history.
   */
  private String settle(String name, String alias) {
    for (int round = 0; round < SETTLE_ROUNDS; round++) {
      AliasHistory h = AliasHistory.of(model(name), alias);
      String target = h.target();
      if (target == null || target.equals(h.holder())) {
        compact(name, h);
        return target;
      }
      postAlias(name, alias, target);
    }
    throw new MlflowException("alias @" + alias + " of model " + name + " kept moving under " + SETTLE_ROUNDS
        + " rounds of concurrent promotions; run 'tsad models list " + name + "' to see where it points", 0, "");
  }

  /** Sums up a long history in one entry and deletes the entries it replaces. */
  private void compact(String name, AliasHistory h) {
    AliasHistory.Compaction c = h.compaction();
    if (c == null) {
      return;
    }
    setModelTag(name, c.key(), c.value());
    for (String key : c.delete()) {
      JsonObject body = new JsonObject();
      body.addProperty("name", name);
      body.addProperty("key", key);
      rest.delete("registered-models/delete-tag", body);
    }
  }

  private void setModelTag(String name, String key, String value) {
    JsonObject body = new JsonObject();
    body.addProperty("name", name);
    body.addProperty("key", key);
    body.addProperty("value", value);
    rest.post("registered-models/set-tag", body);
  }

  private void postAlias(String name, String alias, String version) {
    JsonObject body = new JsonObject();
    body.addProperty("name", name);
    body.addProperty("alias", alias);
    body.addProperty("version", version);
    rest.post("registered-models/alias", body);
  }

  /** The registered model as the server describes it (aliases, tags). */
  private JsonObject model(String name) {
    return rest.get("registered-models/get", Map.of("name", name)).getAsJsonObject("registered_model");
  }

  /** Moves a version to a stage, optionally archiving the versions that held it. */
  public void transitionStage(String name, String version, String stage, boolean archiveExisting) {
    JsonObject body = new JsonObject();
    body.addProperty("name", name);
    body.addProperty("version", version);
    body.addProperty("stage", ModelUri.stage(stage));
    body.addProperty("archive_existing_versions", archiveExisting);
    rest.post("model-versions/transition-stage", body);
  }

  /** Sets a tag on a version. */
  public void setVersionTag(String name, String version, String key, String value) {
    JsonObject body = new JsonObject();
    body.addProperty("name", name);
    body.addProperty("version", version);
    body.addProperty("key", key);
    body.addProperty("value", value);
    rest.post("model-versions/set-tag", body);
  }

  /** One version. */
  public ModelVersionInfo version(String name, String version) {
    return ModelVersionInfo.fromJson(rest.get("model-versions/get", Map.of("name", name, "version", version))
        .getAsJsonObject("model_version"));
  }

  /** All versions of a model, newest first; an unknown model fails naming the models that exist. */
  public List<ModelVersionInfo> versions(String name) {
    requireModel(name);
    List<ModelVersionInfo> out = new ArrayList<>();
    String page = "";
    do {
      Map<String, String> q = new java.util.HashMap<>(Map.of("filter", "name='" + name.replace("'", "\\'") + "'",
          "max_results", "1000"));
      if (!page.isEmpty()) {
        q.put("page_token", page);
      }
      JsonObject res = rest.get("model-versions/search", q);
      if (res.has("model_versions")) {
        res.getAsJsonArray("model_versions").forEach(v -> out.add(ModelVersionInfo.fromJson(v.getAsJsonObject())));
      }
      page = res.has("next_page_token") ? res.get("next_page_token").getAsString() : "";
    } while (!page.isEmpty());
    // search results may lack aliases: fill them from the registered model's alias list
    Map<String, List<String>> aliases = aliases(name);
    List<ModelVersionInfo> withAliases = new ArrayList<>();
    for (ModelVersionInfo v : out) {
      withAliases.add(new ModelVersionInfo(v.name(), v.version(), v.stage(), v.status(), v.source(), v.runId(),
          aliases.getOrDefault(v.version(), List.of()), v.tags(), v.createdMs()));
    }
    withAliases.sort(Comparator.comparingInt(ModelVersionInfo::number).reversed());
    return withAliases;
  }

  /** version -> aliases of a registered model. */
  private Map<String, List<String>> aliases(String name) {
    JsonObject m = model(name);
    Map<String, List<String>> out = new java.util.HashMap<>();
    if (m != null && m.has("aliases")) {
      m.getAsJsonArray("aliases").forEach(e -> out.computeIfAbsent(e.getAsJsonObject().get("version").getAsString(),
          k -> new ArrayList<>()).add(e.getAsJsonObject().get("alias").getAsString()));
    }
    return out;
  }

  private void requireModel(String name) {
    if (!exists(name)) {
      JsonObject found = rest.get("registered-models/search", Map.of("max_results", "100"));
      List<String> names = new ArrayList<>();
      if (found.has("registered_models")) {
        found.getAsJsonArray("registered_models").forEach(x -> names.add(x.getAsJsonObject().get("name").getAsString()));
      }
      throw new DataException("registered model '" + name + "' not found on " + rest.settings().trackingUri()
          + "; models there: " + (names.isEmpty() ? "none" : String.join(", ", names)));
    }
  }

  /** Resolves a models:/ URI to one version; unknown versions, aliases or stages name what exists. */
  public ModelVersionInfo resolve(ModelUri uri) {
    List<ModelVersionInfo> all = versions(uri.name());
    if (all.isEmpty()) {
      throw new DataException("model '" + uri.name() + "' has no versions yet");
    }
    if (uri.version() != null) {
      return all.stream().filter(v -> v.version().equals(uri.version())).findFirst().orElseThrow(() ->
          new DataException(uri.text() + ": model '" + uri.name() + "' has no version " + uri.version()
              + "; versions: " + all.stream().map(ModelVersionInfo::version).collect(Collectors.joining(", "))));
    }
    if (uri.latest()) {
      return all.get(0);
    }
    if (uri.alias() != null) {
      return all.stream().filter(v -> v.aliases().contains(uri.alias())).findFirst().orElseThrow(() ->
          new DataException(uri.text() + ": model '" + uri.name() + "' has no alias '" + uri.alias() + "'; aliases: "
              + describe(all, true)));
    }
    return all.stream().filter(v -> v.stage().equals(uri.stage())).findFirst().orElseThrow(() ->
        new DataException(uri.text() + ": no version of '" + uri.name() + "' is in stage " + uri.stage()
            + "; stages: " + describe(all, false)));
  }

  private static String describe(List<ModelVersionInfo> all, boolean aliases) {
    List<String> parts = new ArrayList<>();
    for (ModelVersionInfo v : all) {
      if (aliases) {
        v.aliases().forEach(a -> parts.add("@" + a + " -> " + v.version()));
      } else {
        parts.add(v.version() + " " + v.stage());
      }
    }
    return parts.isEmpty() ? "none" : String.join(", ", parts);
  }

  /** The artifact location to download a version from (always the server's answer, never the raw source). */
  public String downloadUri(String name, String version) {
    return rest.get("model-versions/get-download-uri", Map.of("name", name, "version", version))
        .get("artifact_uri").getAsString();
  }

  @Override
  public void close() {
    // nothing held open: java.net.http clients release their connections when unreachable
  }
}
