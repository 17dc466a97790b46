package tsad.registry.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The flavor ships every module of the Python package, and the jar holds them and the descriptor set. */
class PyfuncFlavorTest {
  @Test
  void shipsEveryModuleOfThePackage() throws IOException {
    Path src = Path.of(System.getProperty("tsad.root", "..")).resolve("registry/src/main/python/tsad_mlflow");
    List<String> modules;
    try (Stream<Path> s = Files.list(src)) {
      modules = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".py")).sorted().toList();
    }
    assertEquals(modules, PyfuncFlavor.MODULES.stream().sorted().toList(), "PyfuncFlavor.MODULES lists the package");
    for (String m : PyfuncFlavor.MODULES) {
      assertNotNull(PyfuncFlavor.class.getResource(PyfuncFlavor.RESOURCES + m), m + " is in the jar");
    }
    assertNotNull(PyfuncFlavor.class.getResource(PyfuncFlavor.DESCRIPTOR_SET), "tsad.desc is in the jar");
  }
}
