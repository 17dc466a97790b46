package tsad.mr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds, at test time, a jar holding one class no classpath has: a compression codec whose file extension is
 * the text of {@link #FILE} in the working directory. A job given the jar with {@code -libjars} and the file with
 * {@code -files} writes output files ending in that text only if both reached its tasks.
 */
final class ProbeCodecJar {
  /** The codec's class name, for {@code mapreduce.output.fileoutputformat.compress.codec}. */
  static final String CODEC = "tsadprobe.ProbeCodec";
  /** The file the codec reads its extension from. */
  static final String FILE = "tsad-probe.txt";

  private static final String SOURCE = """
      package tsadprobe;

      import java.nio.file.Files;
      import java.nio.file.Path;

      /** Deflate, with its extension read from ./%s (the task's working directory) or ".no-probe-file". */
      public class ProbeCodec extends org.apache.hadoop.io.compress.DefaultCodec {
        @Override
        public String getDefaultExtension() {
          try {
            return "." + Files.readString(Path.of("%s")).trim();
          } catch (java.io.IOException e) {
            return ".no-probe-file";
          }
        }
      }
      """.formatted(FILE, FILE);

  private ProbeCodecJar() {}

  /** Compiles the codec against {@code classpath} (Hadoop's jars) under {@code dir} and returns its jar. */
  static Path build(Path dir, String classpath) throws IOException {
    Path src = Files.createDirectories(dir.resolve("src/tsadprobe")).resolve("ProbeCodec.java");
    Files.writeString(src, SOURCE);
    Path classes = Files.createDirectories(dir.resolve("classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int code = javac.run(null, null, null, "-cp", classpath, "-d", classes.toString(), src.toString());
    assertEquals(0, code, "compiling the probe codec failed");
    Path jar = dir.resolve("tsad-probe.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      for (String name : List.of("tsadprobe/ProbeCodec.class")) {
        out.putNextEntry(new JarEntry(name));
        Files.copy(classes.resolve(name), (OutputStream) out);
        out.closeEntry();
      }
    }
    return jar;
  }
}
