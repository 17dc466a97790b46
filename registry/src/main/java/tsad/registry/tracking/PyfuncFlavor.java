package tsad.registry.tracking;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import tsad.core.bundle.ModelBundle;

/**
 * The MLflow model files of a bundle directory: an {@code MLmodel} with the {@code tsad} flavor (read by tsad's Java
 * loader) and a {@code python_function} flavor, whose loader (the {@code tsad_mlflow} package, shipped in the
 * model's {@code code/} directory) reads the same bundle files, so {@code mlflow.pyfunc.load_model}, {@code mlflow
 * models serve} and {@code mlflow.pyfunc.spark_udf} score with {@code tsad score}'s numbers; and the pinned Python
 * environment ({@code python_env.yaml}, {@code requirements.txt}, {@code conda.yaml}). The bundle's manifest does
 * not list these files, and the Java loader reads only the files it lists.
 */
public final class PyfuncFlavor {
  /** The Python package's modules, as packed into this jar from registry/src/main/python. */
  static final List<String> MODULES = List.of("__init__.py", "bundle.py", "inputs.py", "models.py", "pyfunc.py",
      "scoring.py", "windows.py");
  /** Where the package's sources are in this jar. */
  static final String RESOURCES = "/tsad/registry/python/tsad_mlflow/";
  /** tsad.proto's descriptor set, written by core-jni's build, which the Python loader reads protobuf with. */
  static final String DESCRIPTOR_SET = "/tsad/proto/tsad.desc";
  /** The module MLflow loads the model with. */
  public static final String LOADER_MODULE = "tsad_mlflow.pyfunc";
  /** The Python the model was tested with. */
  public static final String PYTHON_VERSION = "3.11";
  /**
   * The model's Python requirements, pinned to the versions scripts/python-env.sh installs and the parity tests
   * use: torch is the libtorch version inside org.bytedeco:pytorch, mlflow the version scripts/mlflow-server.sh runs.
   */
  public static final List<String> REQUIREMENTS = List.of("mlflow==3.17.2", "torch==2.10.0", "numpy==2.4.6",
      "pandas==3.1.1", "protobuf==7.36.2");

  private PyfuncFlavor() {}

  /** Writes MLmodel, code/tsad_mlflow and the environment files into the bundle directory {@code dir}. */
  public static void write(Path dir, ModelBundle b, String runId) throws IOException {
    Path code = dir.resolve("code/tsad_mlflow");
    Files.createDirectories(code);
    for (String m : MODULES) {
      Files.write(code.resolve(m), resource(RESOURCES + m));
    }
    Files.write(code.resolve("tsad.desc"), resource(DESCRIPTOR_SET));
    String reqs = String.join("\n", REQUIREMENTS) + "\n";
    Files.writeString(dir.resolve("requirements.txt"), reqs, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("python_env.yaml"), "python: \"" + PYTHON_VERSION + "\"\nbuild_dependencies:\n"
        + "  - pip\ndependencies:\n  - -r requirements.txt\n", StandardCharsets.UTF_8);
    StringBuilder conda = new StringBuilder("channels:\n  - conda-forge\ndependencies:\n  - python=" + PYTHON_VERSION
        + "\n  - pip\n  - pip:\n");
    for (String r : REQUIREMENTS) {
      conda.append("      - ").append(r).append('\n');
    }
    conda.append("name: tsad_env\n");
    Files.writeString(dir.resolve("conda.yaml"), conda.toString(), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("MLmodel"), mlmodel(b, runId), StandardCharsets.UTF_8);
  }

  /** The MLmodel text: both flavors, and a signature that declares only the {@code per} parameter. */
  static String mlmodel(ModelBundle b, String runId) {
    return "artifact_path: model\n"
        + "flavors:\n"
        + "  python_function:\n"
        + "    loader_module: " + LOADER_MODULE + "\n"
        + "    code: code\n"
        + "    data: .\n"
        + "    env:\n"
        + "      conda: conda.yaml\n"
        + "      virtualenv: python_env.yaml\n"
        + "    python_version: \"" + PYTHON_VERSION + "\"\n"
        + "  tsad:\n"
        + "    bundle_format_version: " + ModelBundle.FORMAT_VERSION + "\n"
        + "    architecture: " + b.modelSpec().getArch().name().toLowerCase(Locale.ROOT) + "\n"
        + "    window_length: " + b.modelSpec().getWindowLength() + "\n"
        + "    features: " + b.modelSpec().getFeatures() + "\n"
        + "    threshold: " + b.threshold().getValue() + "\n"
        + "    loader: tsad (Java) ModelBundle.load; score with tsad score --model models:/NAME/VERSION\n"
        + "model_uuid: " + b.contentHash() + "\n"
        + "run_id: " + runId + "\n"
        // Without a params schema MLflow drops the params of a request; inputs stay free (two layouts).
        + "signature:\n"
        + "  params: '[{\"name\": \"per\", \"type\": \"string\", \"default\": \"slice\", \"shape\": null}]'\n"
        + "utc_time_created: '" + Instant.now() + "'\n";
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = PyfuncFlavor.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("the tsad jar lacks " + name + " (a build without the Python package or the protobuf "
            + "descriptor set)");
      }
      return in.readAllBytes();
    }
  }
}
