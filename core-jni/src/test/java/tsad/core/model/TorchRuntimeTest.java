package tsad.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/** libtorch's process settings that tsad makes for speed. */
class TorchRuntimeTest {
  @Test
  void javacppDoesNotReadPhysicalMemoryForEveryNativeObject() {
    TorchRuntime.ensureLoaded();
    // Whatever test ran first in this JVM, the default was set before JavaCPP's Pointer class read it.
    assertEquals(0, Pointer.maxPhysicalBytes(), "org.bytedeco.javacpp.maxPhysicalBytes defaults to 0 (no check)");
  }

  @Test
  void theCpuBuildDoesNotSearchForCudaLibraries() {
    TorchRuntime.ensureLoaded();
    assertEquals(TorchRuntime.CPU_EXTENSION, System.getProperty(TorchRuntime.PLATFORM_EXTENSION),
        "no GPU natives on this class path: the plain natives are named");
    // What JavaCPP preloads for libtorch under the properties it loaded with: libtorch's own, not CUDA's.
    List<String> preloads = Loader.loadProperties(torch.class, Loader.loadProperties(), true).get("platform.preload");
    assertTrue(preloads.contains("gomp@.1"), "libtorch's own preloads: " + preloads);
    assertFalse(preloads.stream().anyMatch(p -> p.startsWith("cudart") || p.startsWith("cudnn")),
        "CUDA preloads would be searched for in every jar: " + preloads);
  }
}
