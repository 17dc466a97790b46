package tsad.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tsad.registry.tracking.TrainingRun;

/**
 * Alias moves from many writers at once against a real MLflow server, as parallel {@code tsad models promote}
 * (training's promotion and the Oozie step take the same path): no move is lost, the alias ends where its history
 * ends, and rollbacks step back through the real order of holders.
 */
@Tag("mlflow")
@ExtendWith(MlflowServer.class)
class AliasConcurrencyTest {
  private static final int WRITERS = 6;
  private static final int ROUNDS = 4;

  /** Registers {@code n} versions of {@code model} (sources in one run: the registry checks nothing else). */
  private static List<String> versions(String model, int n) {
    TrainingRun run = TrainingRun.start(MlflowServer.get().settings(), "alias-races", model, Map.of());
    List<String> out = new ArrayList<>();
    try (ModelRegistry reg = new ModelRegistry(MlflowServer.get().settings())) {
      for (int i = 0; i < n; i++) {
        out.add(reg.register(model, run.artifactUri() + "/model", run.runId(), Map.of(), 60_000).version());
      }
    }
    run.finish();
    return out;
  }

  /** Runs one call per writer, all released at once, each writer with its own registry client. */
  private static <T> List<T> together(List<java.util.function.Function<ModelRegistry, T>> calls) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(calls.size());
    try {
      CyclicBarrier start = new CyclicBarrier(calls.size());
      List<Future<T>> futures = new ArrayList<>();
      for (var call : calls) {
        futures.add(pool.submit(() -> {
          try (ModelRegistry reg = new ModelRegistry(MlflowServer.get().settings())) {
            start.await(30, TimeUnit.SECONDS);
            return call.apply(reg);
          }
        }));
      }
      List<T> out = new ArrayList<>();
      for (Future<T> f : futures) {
        out.add(f.get(120, TimeUnit.SECONDS));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private static String holder(ModelRegistry reg, String model) {
    return reg.resolve(ModelUri.parse("models:/" + model + "@champion")).version();
  }

  @Test
  void parallelPromotionsLoseNoMoveAndRollbackReturnsToEachRealPreviousHolder() throws Exception {
    List<String> all = versions("race", 1 + WRITERS * ROUNDS);
    try (ModelRegistry reg = new ModelRegistry(MlflowServer.get().settings())) {
      reg.setAlias("race", "champion", all.get(0));
      List<String> expected = new ArrayList<>(List.of(all.get(0)));
      for (int round = 0; round < ROUNDS; round++) {
        List<String> mine = all.subList(1 + round * WRITERS, 1 + (round + 1) * WRITERS);
        List<java.util.function.Function<ModelRegistry, String>> calls = new ArrayList<>();
        mine.forEach(v -> calls.add(r -> r.setAlias("race", "champion", v)));
        List<String> ended = together(calls);
        List<String> history = reg.aliasHistory("race", "champion");
        assertEquals(expected, history.subList(0, expected.size()), "round " + round + ": earlier moves kept");
        List<String> added = history.subList(expected.size(), history.size());
        assertEquals(new HashSet<>(mine), new HashSet<>(added), "round " + round + ": every move recorded once, "
            + "history " + history);
        assertEquals(WRITERS, added.size(), "round " + round + ": history " + history);
        String last = history.get(history.size() - 1);
        assertEquals(last, holder(reg, "race"), "round " + round + ": the alias is where its history ends");
        // each writer answers where the alias went after its move: its own version or one recorded after it
        for (int w = 0; w < WRITERS; w++) {
          assertTrue(history.indexOf(ended.get(w)) >= history.indexOf(mine.get(w)), "round " + round + ": writer of "
              + mine.get(w) + " answered " + ended.get(w) + ", history " + history);
        }
        expected = history;
      }
      // Rollback walks back through every recorded holder, in the order they held the alias.
      for (int i = expected.size() - 1; i > expected.size() - 1 - WRITERS * 2; i--) {
        AliasHistory.Rollback r = reg.rollbackAlias("race", "champion");
        assertEquals(expected.get(i), r.from());
        assertEquals(expected.get(i - 1), r.to());
        assertEquals(expected.get(i - 1), holder(reg, "race"));
      }
    }
  }

  @Test
  void parallelRollbacksStepBackOnceEachAndPromotionsDuringThemAreKept() throws Exception {
    List<String> all = versions("race-back", 8);
    try (ModelRegistry reg = new ModelRegistry(MlflowServer.get().settings())) {
      for (String v : all.subList(0, 7)) {
        reg.setAlias("race-back", "champion", v);
      }
      List<java.util.function.Function<ModelRegistry, String>> calls = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        calls.add(r -> r.rollbackAlias("race-back", "champion").to());
      }
      together(calls);
      assertEquals(all.subList(0, 4), reg.aliasHistory("race-back", "champion"), "three rollbacks, three steps");
      assertEquals(all.get(3), holder(reg, "race-back"));
      // a rollback and a promotion at once: both recorded, in one order or the other
      List<java.util.function.Function<ModelRegistry, String>> mixed = List.of(
          r -> r.rollbackAlias("race-back", "champion").to(), r -> r.setAlias("race-back", "champion", all.get(7)));
      together(mixed);
      List<String> h = reg.aliasHistory("race-back", "champion");
      assertTrue(h.equals(List.of(all.get(0), all.get(1), all.get(2), all.get(7)))
          || h.equals(List.of(all.get(0), all.get(1), all.get(2), all.get(3))), h.toString());
      assertEquals(h.get(h.size() - 1), holder(reg, "race-back"));
    }
  }

  @Test
  void aHistoryInTheOldSingleTagFormatIsReadAndExtended() {
    List<String> v = versions("old-format", 3);
    try (ModelRegistry reg = new ModelRegistry(MlflowServer.get().settings())) {
      JsonObject tag = new JsonObject();
      tag.addProperty("name", "old-format");
      tag.addProperty("key", "tsad.alias_history.champion");
      tag.addProperty("value", v.get(0) + "," + v.get(1));
      reg.rest().post("registered-models/set-tag", tag);
      JsonObject alias = new JsonObject();
      alias.addProperty("name", "old-format");
      alias.addProperty("alias", "champion");
      alias.addProperty("version", v.get(1));
      reg.rest().post("registered-models/alias", alias);
      assertEquals(List.of(v.get(0), v.get(1)), reg.aliasHistory("old-format", "champion"));
      reg.setAlias("old-format", "champion", v.get(2));
      assertEquals(v, reg.aliasHistory("old-format", "champion"));
      assertEquals(new AliasHistory.Rollback(v.get(2), v.get(1)), reg.rollbackAlias("old-format", "champion"));
      assertEquals(new AliasHistory.Rollback(v.get(1), v.get(0)), reg.rollbackAlias("old-format", "champion"));
      assertEquals(v.get(0), holder(reg, "old-format"));
    }
  }
}
