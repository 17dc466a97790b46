package tsad.oozie;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.transform.Source;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xml.sax.SAXParseException;

/**
 * scripts/oozie against Oozie 5.2.1's own XSDs (from the oozie-client jar); every parameter the workflow and
 * coordinator use is declared by them and set by job.properties or by the coordinator. OozieEngineIT runs them.
 */
class OozieSchemaTest {
  static final Path OOZIE = root().resolve("scripts/oozie");
  private static final Pattern EL = Pattern.compile("\\$\\{([^}]*)}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");
  private static final Set<String> OPERATORS = Set.of("eq", "ne", "lt", "gt", "le", "ge", "and", "or", "not", "empty",
      "true", "false", "null");
  static Schema schema;

  @TempDir static Path dir;

  static Path root() {
    String prop = System.getProperty("tsad.root");
    return Path.of(prop != null ? prop : "..").toAbsolutePath().normalize();
  }

  /** One schema from the jar's XSDs; each source carries its URL so the workflow XSD's include resolves. */
  @BeforeAll
  static void schema() throws Exception {
    String[] xsds = {"oozie-workflow-1.0.xsd", "oozie-coordinator-0.5.xsd"};
    Source[] sources = new Source[xsds.length];
    for (int i = 0; i < xsds.length; i++) {
      URL url = OozieSchemaTest.class.getClassLoader().getResource(xsds[i]);
      assertNotNull(url, xsds[i] + " not on the test classpath (org.apache.oozie:oozie-client:5.2.1)");
      sources[i] = new StreamSource(url.openStream(), url.toExternalForm());
    }
    schema = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI).newSchema(sources);
  }

  private static void validate(Path xml) throws Exception {
    Validator v = schema.newValidator();
    v.validate(new StreamSource(xml.toFile()));
  }

  @Test
  void workflowAndCoordinatorAreValidOozieApps() throws Exception {
    validate(OOZIE.resolve("workflow.xml"));
    validate(OOZIE.resolve("coordinator.xml"));
  }

  @Test
  void theValidatorCatchesABrokenWorkflow() throws Exception {
    String wf = Files.readString(OOZIE.resolve("workflow.xml"));
    Path broken = dir.resolve("workflow.xml");
    Files.writeString(broken, wf.replaceFirst("<main-class>tsad.Main</main-class>", ""));
    SAXParseException e = assertThrows(SAXParseException.class, () -> validate(broken));
    assertTrue(e.getMessage().contains("main-class"), e.getMessage());
  }

  @Test
  void everyParameterIsSetByJobPropertiesOrTheCoordinator() throws Exception {
    Map<String, String> props = properties(OOZIE.resolve("job.properties"));
    Set<String> fromCoordinator = Set.of("inputDir", "outputDir");
    String coordinator = Files.readString(OOZIE.resolve("coordinator.xml"));
    for (String p : fromCoordinator) {
      assertTrue(coordinator.contains("<name>" + p + "</name>"), "coordinator does not pass " + p);
    }
    Set<String> missing = new TreeSet<>();
    for (String used : params(Files.readString(OOZIE.resolve("workflow.xml")))) {
      if (!props.containsKey(used) && !fromCoordinator.contains(used)) {
        missing.add(used);
      }
    }
    // YEAR, MONTH, DAY are the dataset's time variables, filled by Oozie per instance
    for (String used : params(coordinator)) {
      if (!props.containsKey(used) && !Set.of("YEAR", "MONTH", "DAY").contains(used)) {
        missing.add(used);
      }
    }
    assertEquals(Set.of(), missing, "parameters used but not set in job.properties");
    for (String p : params(String.join("\n", props.values()))) {
      assertTrue(props.containsKey(p), "job.properties refers to unset ${" + p + "}");
    }
  }

  /**
   * Each app's {@code <parameters>} names exactly the parameters it uses, none with a default, so that Oozie refuses
   * a submission lacking one (the engine test shows the refusal) and no declared name is stale.
   */
  @Test
  void eachAppDeclaresEveryParameterItUsesWithoutDefault() throws Exception {
    for (String app : List.of("workflow.xml", "coordinator.xml")) {
      String xml = Files.readString(OOZIE.resolve(app));
      int open = xml.indexOf("<parameters>");
      int close = xml.indexOf("</parameters>");
      assertTrue(open >= 0 && close > open, app + " has no <parameters> section");
      String section = xml.substring(open, close);
      assertTrue(!section.contains("<value>"), app + ": a parameter with a default is never required");
      Set<String> declared = new TreeSet<>();
      Matcher m = Pattern.compile("<name>([^<]+)</name>").matcher(section);
      while (m.find()) {
        declared.add(m.group(1));
      }
      Set<String> used = params(xml.substring(0, open) + xml.substring(close));
      used.removeAll(Set.of("YEAR", "MONTH", "DAY"));
      assertEquals(used, declared, app + ": declared parameters = parameters used");
    }
  }

  /** A job.properties file as the Oozie client reads it (references between values are resolved by Oozie). */
  static Map<String, String> properties(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
    }
    Map<String, String> out = new HashMap<>();
    p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
    return out;
  }

  /** The parameter names inside every ${...}: identifiers that are not literals, operators or EL functions. */
  private static Set<String> params(String text) {
    Set<String> out = new TreeSet<>();
    Matcher m = EL.matcher(text);
    while (m.find()) {
      String expr = m.group(1).replaceAll("'[^']*'", " ").replaceAll("[A-Za-z]+:[A-Za-z]+\\s*\\(", "(");
      Matcher n = NAME.matcher(expr);
      while (n.find()) {
        if (!OPERATORS.contains(n.group())) {
          out.add(n.group());
        }
      }
    }
    return out;
  }
}
