package tsad.registry;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tsad.core.data.DataException;

/**
 * The versions that held an alias, oldest first (MLflow itself forgets where an alias pointed before), kept as an
 * append-only log of registered-model tags so that concurrent writers lose nothing. MLflow has no compare-and-set
 * on tags, but writes to different tag keys never overwrite each other: each move or rollback is its own tag
 * {@code tsad.alias_history.ALIAS.SEQ.ID}, SEQ one more than the highest the writer saw (so a move made after
 * another sorts after it) and ID random (so two writers that picked the same SEQ both keep their entry and sort
 * the same way for every reader). Replaying the entries in (SEQ, ID) order gives the history; its last version is
 * where the alias must point, and every writer moves the alias there before it returns
 * ({@link ModelRegistry#setAlias}). The older single tag {@code tsad.alias_history.ALIAS} ("1,2,5") is read as the
 * start of the history.
 */
public final class AliasHistory {
  /** Prefix of the registered-model tags that hold an alias's history. */
  public static final String TAG_PREFIX = "tsad.alias_history.";
  /** Entries a compaction keeps; it runs once the log holds twice as many. */
  static final int KEEP = 100;
  /** A holder that differs from the history is a move made outside tsad unless it led one of this many entries. */
  private static final int IN_FLIGHT = 16;
  private static final Pattern ENTRY_KEY = Pattern.compile(Pattern.quote(TAG_PREFIX)
      + "([A-Za-z0-9_-]+)\\.(\\d+)\\.([0-9a-z]+)");

  private final String alias;
  private final String holder;
  private final List<Entry> entries;
  private final String legacyKey;
  private final List<State> states;

  /**
   * The outcome of a rollback.
   *
   * @param from the version that held the alias
   * @param to the version that holds it now
   */
  public record Rollback(String from, String to) {}

  /** One tag of the log; {@code op} is its value: "move V", "move V after H", "rollback [from H] [skip V,..]". */
  record Entry(long seq, String id, String key, String op) {}

  /** The history after an entry: the holders, oldest first, and the versions rollbacks found deleted. */
  private record State(List<String> stack, Set<String> gone) {}

  private AliasHistory(String alias, String holder, List<String> legacy, String legacyKey, List<Entry> entries) {
    this.alias = alias;
    this.holder = holder;
    this.legacyKey = legacyKey;
    this.entries = entries;
    this.states = replay(legacy, entries);
  }

  /** Reads the history and the current holder of an alias from a registered model's JSON. */
  static AliasHistory of(JsonObject registeredModel, String alias) {
    List<String> legacy = new ArrayList<>();
    String legacyKey = null;
    List<Entry> entries = new ArrayList<>();
    String holder = null;
    if (registeredModel != null && registeredModel.has("tags")) {
      for (JsonElement t : registeredModel.getAsJsonArray("tags")) {
        JsonObject o = t.getAsJsonObject();
        String key = o.get("key").getAsString();
        String value = o.has("value") ? o.get("value").getAsString() : "";
        Matcher m = ENTRY_KEY.matcher(key);
        if (key.equals(TAG_PREFIX + alias)) {
          legacyKey = key;
          if (!value.isBlank()) {
            legacy.addAll(Arrays.asList(value.split(",")));
          }
        } else if (m.matches() && m.group(1).equals(alias)) {
          entries.add(new Entry(Long.parseLong(m.group(2)), m.group(3), key, value));
        }
      }
    }
    entries.sort(Comparator.comparingLong(Entry::seq).thenComparing(Entry::id));
    if (registeredModel != null && registeredModel.has("aliases")) {
      for (JsonElement a : registeredModel.getAsJsonArray("aliases")) {
        if (a.getAsJsonObject().get("alias").getAsString().equals(alias)) {
          holder = a.getAsJsonObject().get("version").getAsString();
        }
      }
    }
    return new AliasHistory(alias, holder, legacy, legacyKey, entries);
  }

  /** The recorded holders, oldest first; the last is where the alias belongs. */
  public List<String> versions() {
    return List.copyOf(last().stack());
  }

  /** The version the alias points at on the server, or null. */
  String holder() {
    return holder;
  }

  /** Where the alias belongs by its history, or null when nothing is recorded. */
  String target() {
    List<String> s = last().stack();
    return s.isEmpty() ? null : s.get(s.size() - 1);
  }

  /** The tag (key, value) that records a move of the alias to {@code version}. */
  String[] move(String version) {
    String op = "move " + version + (outsideMove() ? " after " + holder : "");
    return new String[] {nextKey(), op};
  }

  /**
   * The tag (key, value) that records a rollback: the holder is dropped, and with it the versions before it that
   * were deleted since they held the alias ({@code existing} are the versions that exist); fails when no earlier
   * holder is left.
   */
  String[] rollback(Set<String> existing, String model) {
    if (holder == null) {
      throw new DataException("model '" + model + "' has no alias @" + alias + " to roll back");
    }
    boolean outside = outsideMove();
    List<String> v = new ArrayList<>(last().stack());
    if (!outside && !v.isEmpty()) {
      v.remove(v.size() - 1);
    }
    // The same steps as the replay of the entry (apply), so what this writer checks is what every reader gets.
    Set<String> skipped = new TreeSet<>(Comparator.comparingInt(Integer::parseInt));
    while (!v.isEmpty() && !existing.contains(v.get(v.size() - 1))) {
      skipped.add(v.remove(v.size() - 1));
    }
    if (v.isEmpty()) {
      List<String> all = versions();
      throw new DataException("no earlier holder of @" + alias + " recorded for model " + model
          + " (it points at version " + holder + "; history: " + (all.isEmpty() ? "none" : String.join(", ", all))
          + ")");
    }
    String op = "rollback" + (outside ? " from " + holder : "") + (skipped.isEmpty() ? "" : " skip "
        + String.join(",", skipped));
    return new String[] {nextKey(), op};
  }

  /**
   * The tags a compaction writes and deletes once the log is long: a "base" entry that holds the history as it
   * stood {@link #KEEP} entries ago, ordered right after the entry it sums up, then the older entries go. Null when
   * the log is short. A late writer could only sort before the base by having missed {@link #KEEP} newer entries.
   */
  Compaction compaction() {
    if (entries.size() < 2 * KEEP) {
      return null;
    }
    int cut = entries.size() - KEEP - 1;
    Entry e = entries.get(cut);
    State s = states.get(cut + 1);
    String base = "base " + String.join(",", s.stack()) + (s.gone().isEmpty() ? "" : " gone "
        + String.join(",", s.gone()));
    List<String> delete = new ArrayList<>();
    entries.subList(0, cut + 1).forEach(x -> delete.add(x.key()));
    if (legacyKey != null) {
      delete.add(legacyKey);
    }
    return new Compaction(TAG_PREFIX + alias + "." + pad(e.seq()) + "." + e.id() + "s", base, delete);
  }

  /**
   * A compaction: the base tag to write first, then the tags to delete.
   *
   * @param key the base entry's key
   * @param value the base entry's value
   * @param delete the keys it replaces
   */
  record Compaction(String key, String value, List<String> delete) {}

  /** True when the alias points at a version the history does not lead with and no recent tsad move explains. */
  private boolean outsideMove() {
    if (holder == null || holder.equals(target())) {
      return false;
    }
    // A tsad move in flight has recorded its entry but not moved the alias yet: the holder then led the history
    // a few entries ago.
    for (int i = Math.max(0, states.size() - 1 - IN_FLIGHT); i < states.size(); i++) {
      List<String> s = states.get(i).stack();
      if (!s.isEmpty() && s.get(s.size() - 1).equals(holder)) {
        return false;
      }
    }
    return true;
  }

  private String nextKey() {
    long seq = entries.isEmpty() ? 1 : entries.get(entries.size() - 1).seq() + 1;
    return TAG_PREFIX + alias + "." + pad(seq) + "." + UUID.randomUUID().toString().replace("-", "")
        .substring(0, 12);
  }

  private static String pad(long seq) {
    return String.format(java.util.Locale.ROOT, "%08d", seq);
  }

  private State last() {
    return states.get(states.size() - 1);
  }

  /** The state before the first entry (the legacy tag), then after each entry. */
  private static List<State> replay(List<String> legacy, List<Entry> entries) {
    List<State> out = new ArrayList<>();
    List<String> stack = new ArrayList<>(legacy);
    Set<String> gone = new HashSet<>();
    out.add(new State(List.copyOf(stack), Set.copyOf(gone)));
    for (Entry e : entries) {
      apply(e.op().strip().split(" +"), stack, gone);
      out.add(new State(List.copyOf(stack), Set.copyOf(gone)));
    }
    return out;
  }

  private static void apply(String[] op, List<String> stack, Set<String> gone) {
    switch (op[0]) {
      case "move" -> {
        if (op.length >= 4 && op[2].equals("after")) {
          push(stack, op[3]);
        }
        if (op.length >= 2) {
          push(stack, op[1]);
        }
      }
      case "rollback" -> {
        boolean outside = false;
        for (int i = 1; i + 1 < op.length; i += 2) {
          if (op[i].equals("from")) {
            outside = true;
          } else if (op[i].equals("skip")) {
            gone.addAll(Arrays.asList(op[i + 1].split(",")));
          }
        }
        // The last holder always stays: a rollback that finds nothing earlier (two at once) changes nothing.
        if (!outside && stack.size() > 1) {
          stack.remove(stack.size() - 1);
        }
        while (stack.size() > 1 && gone.contains(stack.get(stack.size() - 1))) {
          stack.remove(stack.size() - 1);
        }
      }
      case "base" -> {
        stack.clear();
        gone.clear();
        if (op.length >= 2) {
          stack.addAll(Arrays.asList(op[1].split(",")));
        }
        if (op.length >= 4 && op[2].equals("gone")) {
          gone.addAll(Arrays.asList(op[3].split(",")));
        }
      }
      default -> { } // an entry of a later tsad: ignored rather than guessed at
    }
  }

  private static void push(List<String> stack, String version) {
    if (stack.isEmpty() || !stack.get(stack.size() - 1).equals(version)) {
      stack.add(version);
    }
  }
}
