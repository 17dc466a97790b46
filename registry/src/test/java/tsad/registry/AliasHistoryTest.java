package tsad.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tsad.core.data.DataException;

/** The alias history's log as readers replay it: order, outside moves, rollbacks, the old format, compaction. */
class AliasHistoryTest {
  /** A registered model as the server would describe it: its tags and where the alias points. */
  private static final class Model {
    final Map<String, String> tags = new LinkedHashMap<>();
    String holder;

    AliasHistory history() {
      JsonObject m = new JsonObject();
      JsonArray t = new JsonArray();
      tags.forEach((k, v) -> {
        JsonObject o = new JsonObject();
        o.addProperty("key", k);
        o.addProperty("value", v);
        t.add(o);
      });
      m.add("tags", t);
      if (holder != null) {
        JsonArray a = new JsonArray();
        JsonObject o = new JsonObject();
        o.addProperty("alias", "champion");
        o.addProperty("version", holder);
        a.add(o);
        m.add("aliases", a);
      }
      return AliasHistory.of(m, "champion");
    }

    /** A tsad move, as ModelRegistry.setAlias makes it: record, then point the alias where the history says. */
    void promote(String version) {
      String[] tag = history().move(version);
      tags.put(tag[0], tag[1]);
      holder = history().target();
    }

    void rollback(Set<String> existing) {
      String[] tag = history().rollback(existing, "m");
      tags.put(tag[0], tag[1]);
      holder = history().target();
    }
  }

  @Test
  void movesReplayInOrderAndRollbacksStepBack() {
    Model m = new Model();
    for (String v : List.of("1", "2", "3", "4")) {
      m.promote(v);
    }
    assertEquals(List.of("1", "2", "3", "4"), m.history().versions());
    m.rollback(Set.of("1", "2", "3", "4"));
    assertEquals("3", m.holder);
    m.rollback(Set.of("1", "2", "3", "4"));
    assertEquals("2", m.holder);
    m.promote("5");
    assertEquals(List.of("1", "2", "5"), m.history().versions());
    // version 2 was deleted since it held the alias: the rollback skips it, and every reader knows it did
    m.rollback(Set.of("1", "5"));
    assertEquals("1", m.holder);
    assertEquals(List.of("1"), m.history().versions());
    DataException none = assertThrows(DataException.class, () -> m.rollback(Set.of("1", "5")));
    assertEquals("no earlier holder of @champion recorded for model m (it points at version 1; history: 1)",
        none.getMessage());
  }

  @Test
  void writersThatPickTheSameSequenceNumberBothKeepTheirMove() {
    Model m = new Model();
    m.promote("1");
    // two writers read the same history, both record a move, then both settle the alias
    String[] a = m.history().move("2");
    String[] b = m.history().move("3");
    assertEquals(a[0].substring(0, a[0].lastIndexOf('.')), b[0].substring(0, b[0].lastIndexOf('.')), "same SEQ");
    m.tags.put(a[0], a[1]);
    m.tags.put(b[0], b[1]);
    List<String> v = m.history().versions();
    assertEquals(3, v.size(), v.toString());
    assertTrue(v.containsAll(List.of("1", "2", "3")), v.toString());
    m.holder = m.history().target();
    // two rollbacks at once step back twice, as two in a row would
    String[] r1 = m.history().rollback(Set.of("1", "2", "3"), "m");
    String[] r2 = m.history().rollback(Set.of("1", "2", "3"), "m");
    m.tags.put(r1[0], r1[1]);
    m.tags.put(r2[0], r2[1]);
    assertEquals(List.of("1"), m.history().versions());
  }

  @Test
  void aMoveMadeOutsideTsadCountsAsAHolderButAMoveInFlightDoesNot() {
    Model m = new Model();
    m.promote("1");
    m.holder = "3"; // the MLflow UI moved it
    m.promote("4");
    assertEquals(List.of("1", "3", "4"), m.history().versions());
    // a writer has recorded its move to 5 but not moved the alias yet: the next writer sees @champion at 4
    String[] inFlight = m.history().move("5");
    m.tags.put(inFlight[0], inFlight[1]);
    m.promote("6");
    assertEquals(List.of("1", "3", "4", "5", "6"), m.history().versions());
    // a rollback of an alias moved outside tsad goes back to the last recorded holder
    m.holder = "2";
    m.rollback(Set.of("1", "2", "3", "4", "5", "6"));
    assertEquals("6", m.holder);
  }

  @Test
  void theOldSingleTagIsTheStartOfTheHistory() {
    Model m = new Model();
    m.tags.put("tsad.alias_history.champion", "1,2");
    m.tags.put("tsad.alias_history.challenger", "7");
    m.holder = "2";
    assertEquals(List.of("1", "2"), m.history().versions());
    m.promote("3");
    assertEquals(List.of("1", "2", "3"), m.history().versions());
    m.rollback(Set.of("1", "2", "3"));
    assertEquals("2", m.holder);
    m.rollback(Set.of("1", "2", "3"));
    assertEquals("1", m.holder);
    assertEquals("7", m.tags.get("tsad.alias_history.challenger"), "other aliases' histories are left alone");
  }

  @Test
  void aLongLogIsSummedUpWithoutChangingTheHistory() {
    Model m = new Model();
    m.tags.put("tsad.alias_history.champion", "1");
    m.holder = "1";
    for (int i = 2; i < 2 + 2 * AliasHistory.KEEP; i++) {
      m.promote(Integer.toString(i));
    }
    m.rollback(java.util.stream.IntStream.range(1, 500).mapToObj(Integer::toString)
        .collect(java.util.stream.Collectors.toSet()));
    List<String> before = m.history().versions();
    AliasHistory.Compaction c = m.history().compaction();
    assertNotNull(c);
    m.tags.put(c.key(), c.value());
    c.delete().forEach(m.tags::remove);
    assertEquals(before, m.history().versions());
    assertNull(m.history().compaction(), "short again");
    assertTrue(!m.tags.containsKey("tsad.alias_history.champion"), "the old tag is summed up too");
    m.promote("999");
    assertEquals("999", m.holder);
  }
}
