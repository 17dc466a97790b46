package tsad.core;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.function.Executable;

/** Assertions on failures that say what failed, so that an unrelated failure of the same broad type cannot pass. */
public final class Expect {
  private Expect() {}

  /** Asserts that {@code code} throws a {@code type} whose message contains {@code fragment}; returns it. */
  public static <T extends Throwable> T assertThrowsWith(Class<T> type, String fragment, Executable code) {
    T e = assertThrows(type, code);
    assertTrue(String.valueOf(e.getMessage()).contains(fragment),
        () -> "expected a " + type.getSimpleName() + " saying \"" + fragment + "\", got: " + e);
    return e;
  }
}
