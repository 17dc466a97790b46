package tsad.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

/** libtorch's process settings that tsad makes for speed. */
class TorchRuntimeTest {
  @Test
  void javacppDoesNotReadPhysicalMemoryForEveryNativeObject() {
    TorchRuntime.ensureLoaded();
    // Whatever test ran first in this JVM, the default was set before JavaCPP's Pointer class read it.
    assertEquals(0, Pointer.maxPhysicalBytes(), "org.bytedeco.javacpp.maxPhysicalBytes defaults to 0 (no check)");
  }
}
