package tsad.core.model;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tsad.core.data.DataException;

/** Process-wide libtorch settings: thread pools, device choice, seeds and version facts for provenance. */
public final class TorchRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(TorchRuntime.class);
  private static volatile boolean blasPinned;
  /** JavaCPP's property for the physical-memory check (it also reads the all-lowercase spelling). */
  static final String MAX_PHYSICAL_BYTES = "org.bytedeco.javacpp.maxPhysicalBytes";
  /** JavaCPP's property naming the natives' extension ("-gpu" for the CUDA build). */
  static final String PLATFORM_EXTENSION = "org.bytedeco.javacpp.platform.extension";
  /** The extension tsad names for a CPU build: none, the plain natives only. */
  static final String CPU_EXTENSION = "";
  /** Where the GPU build's natives sit on the class path (the linux-x86_64-gpu artifact). */
  private static final String GPU_NATIVES = "org/bytedeco/pytorch/linux-x86_64-gpu/";

  static {
    nativeDefaults();
  }

  private TorchRuntime() {}

  /**
   * Sets the two JavaCPP defaults tsad relies on before JavaCPP reads them (a user's own setting wins).
   *
   * <p>It turns off JavaCPP's physical-memory check: with its default limit (a multiple of the
   * heap) JavaCPP reads /proc/self/statm for every native object it wraps, and a forward pass wraps several, which
   * costs a small model a large share of its forward pass. tsad frees native memory deterministically (every
   * native object has an owner that closes it, one {@code PointerScope} per batch), so it does not need the garbage
   * collections the check would trigger (docs/architecture.md, "Native memory"). JavaCPP reads the property once, when its {@code Pointer} class is
   * initialised; the classes that make native objects call this from their static initialisers, and so does
   * this class, which every entry point uses first.
   *
   * <p>It names the natives' extension for a CPU build; see the comment in the body.
   */
  public static void nativeDefaults() {
    if (System.getProperty(MAX_PHYSICAL_BYTES) == null
        && System.getProperty(MAX_PHYSICAL_BYTES.toLowerCase(Locale.ROOT)) == null) {
      System.setProperty(MAX_PHYSICAL_BYTES, "0");
    }
    // With the property unset, JavaCPP also tries the GPU extension: libtorch's presets then preload ~25 CUDA
    // libraries, each looked for in every jar of the class path (~150 for the CLI) and in java.library.path before
    // JavaCPP gives up on it. With only the CPU natives present none can be found, and the search is a visible share
    // of every libtorch load. Set to empty, the plain linux-x86_64 natives are loaded and nothing
    // else is searched for. A GPU build (the launcher sets "-gpu") is left alone.
    if (System.getProperty(PLATFORM_EXTENSION) == null && !gpuNativesPresent()) {
      System.setProperty(PLATFORM_EXTENSION, CPU_EXTENSION);
    }
  }

  private static boolean gpuNativesPresent() {
    String platform = System.getProperty("org.bytedeco.javacpp.platform", "");
    return platform.endsWith("-gpu") || TorchRuntime.class.getClassLoader().getResource(GPU_NATIVES) != null;
  }

  /**
   * Loads libtorch, turning a failed native load into a message that says what is missing: a GPU build
   * (mvn -Dgpu) needs the CUDA 13.1 / cuDNN 9.19 libraries of the node, which Maven Central does not ship.
   */
  public static void ensureLoaded() {
    try {
      Loader.load(torch.class);
    } catch (UnsatisfiedLinkError e) {
      throw new DataException(describeLoadFailure(e));
    }
  }

  /** A one-line explanation of a failed libtorch load (safe to call when libtorch cannot load). */
  public static String describeLoadFailure(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    String cause = String.valueOf(root.getMessage());
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("([\\w.+-]+\\.so[.\\d]*): cannot open").matcher(cause);
    String missing = m.find() ? m.group(1) + " not found" : cause;
    return gpuBuild()
        ? "this tsad was built with the GPU libtorch natives (-Dgpu), which need the CUDA 13.1 and cuDNN 9.19 "
          + "libraries of the machine (" + missing + "); install them, or rebuild without -Dgpu for the CPU"
        : "cannot load libtorch: " + cause;
  }


  /**
   * Sets libtorch's intra-op threads and pins OpenBLAS to one thread, because OpenBLAS threads fight
   * libtorch's OpenMP pool (both running free slow a forward pass by an order of magnitude).
   */
  public static void threads(int n) {
    if (n < 1) {
      throw new DataException("--threads must be at least 1, got " + n);
    }
    ensureLoaded();
    if (!blasPinned) {
      org.bytedeco.openblas.global.openblas_nolapack.blas_set_num_threads(1);
      blasPinned = true;
    }
    torch.set_num_threads(n);
  }

  /** Resolves "auto", "cpu" or "cuda" to a device; "cuda" without CUDA fails with a clear message. */
  public static Device device(String choice) {
    ensureLoaded();
    String c = choice == null ? "auto" : choice.toLowerCase(Locale.ROOT);
    switch (c) {
      case "cpu":
        return new Device(torch.DeviceType.CPU);
      case "cuda":
        if (!cudaAvailable()) {
          throw new DataException("--device cuda: no CUDA device is available (this build "
              + (gpuBuild() ? "has CUDA natives but found no GPU" : "has CPU-only libtorch natives; build with "
              + "mvn -Dgpu install on a machine with CUDA") + "); use --device cpu or --device auto");
        }
        return new Device(torch.DeviceType.CUDA);
      case "auto":
        if (cudaAvailable()) {
          return new Device(torch.DeviceType.CUDA);
        }
        LOG.debug("no CUDA device available; using the CPU");
        return new Device(torch.DeviceType.CPU);
      default:
        throw new DataException("unknown --device '" + choice + "'; use auto, cpu or cuda");
    }
  }

  /** The user-facing name of a resolved device. */
  public static String name(Device d) {
    return d.is_cuda() ? "cuda" : "cpu";
  }

  private static boolean cudaAvailable() {
    try {
      return torch.cuda_is_available();
    } catch (Throwable t) {
      return false;
    }
  }

  private static boolean gpuBuild() {
    return Loader.getPlatform().endsWith("-gpu") || gpuNativesPresent();
  }

  /** Seeds libtorch's generators (weight init, dropout). */
  public static void seed(long seed) {
    torch.manual_seed(seed);
  }

  /** Library versions recorded in every model's provenance. */
  public static Map<String, String> versions() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("tsad", Versions.TSAD);
    m.put("pytorch_presets", Versions.of(torch.class));
    m.put("javacpp", Versions.of(Loader.class));
    m.put("java", System.getProperty("java.version"));
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    m.put("torch_threads", Integer.toString(torch.get_num_threads()));
    return m;
  }
}
