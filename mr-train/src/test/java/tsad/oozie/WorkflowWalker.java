package tsad.oozie;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import tsad.MainTest;
import tsad.cli.ActionOutput;

/**
 * Runs an Oozie workflow.xml the way Oozie would, in this JVM: from the start node along the ok
 * transitions, each java action's arguments with their EL parameters substituted, through
 * {@code tsad.Main.run}; prepare deletes done, capture-output files read back as action data, and decision
 * nodes evaluated on them. Supports the EL the tsad workflow uses: parameters,
 * {@code wf:actionData('A')['K']} and {@code X eq 'literal'}; anything else fails the test by name.
 */
final class WorkflowWalker {
  private static final Pattern EL = Pattern.compile("\\$\\{([^}]*)}");
  private static final Pattern ACTION_DATA = Pattern.compile("wf:actionData\\('([^']+)'\\)\\['([^']+)'\\]");
  private static final Pattern EQ = Pattern.compile("(.+?)\\s+eq\\s+'([^']*)'");

  private final Map<String, Element> nodes = new LinkedHashMap<>();
  private final String start;

  /**
   * What one run did.
   *
   * @param path the nodes visited, in order, ending with the end node
   * @param actionData captured output properties per action
   * @param stdout each action's standard output
   */
  record Trace(List<String> path, Map<String, Map<String, String>> actionData, Map<String, String> stdout) {}

  WorkflowWalker(Path workflowXml) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    Document doc = f.newDocumentBuilder().parse(workflowXml.toFile());
    String startTo = null;
    for (Element e : children(doc.getDocumentElement())) {
      switch (e.getLocalName()) {
        case "start" -> startTo = e.getAttribute("to");
        case "action", "decision", "kill", "end" -> nodes.put(e.getAttribute("name"), e);
        case "global", "parameters", "credentials" -> { }
        default -> fail("the walker does not support <" + e.getLocalName() + "> nodes");
      }
    }
    start = startTo;
  }

  /** Parameters from a job.properties file, with ${...} references between them resolved. */
  static Map<String, String> properties(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
    }
    Map<String, String> out = new HashMap<>();
    p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
    return out;
  }

  /** Runs the workflow with these parameters; each action must exit 0, a kill node fails the test. */
  Trace run(Map<String, String> params, Path scratch) throws IOException {
    List<String> path = new ArrayList<>();
    Map<String, Map<String, String>> data = new HashMap<>();
    Map<String, String> stdout = new HashMap<>();
    String at = start;
    while (true) {
      Element node = nodes.get(at);
      assertTrue(node != null, "transition to unknown node " + at);
      path.add(at);
      switch (node.getLocalName()) {
        case "end":
          return new Trace(path, data, stdout);
        case "kill":
          fail("workflow reached kill node " + at + " after " + path);
          break;
        case "decision":
          at = decide(node, params, data);
          break;
        default:
          runAction(node, params, data, stdout, scratch);
          at = child(node, "ok").getAttribute("to");
      }
    }
  }

  private void runAction(Element action, Map<String, String> params, Map<String, Map<String, String>> data,
                         Map<String, String> stdout, Path scratch) throws IOException {
    String name = action.getAttribute("name");
    Element java = child(action, "java");
    assertTrue(java != null, "action " + name + " is not a java action");
    assertEquals("tsad.Main", text(child(java, "main-class")), "main-class of " + name);
    Element prepare = child(java, "prepare");
    if (prepare != null) {
      for (Element d : children(prepare)) {
        assertEquals("delete", d.getLocalName(), "prepare step in " + name);
        deleteTree(Path.of(el(d.getAttribute("path"), params, data).replaceFirst("^file:(//)?", "")));
      }
    }
    List<String> args = new ArrayList<>();
    for (Element a : children(java)) {
      if (a.getLocalName().equals("arg")) {
        args.add(el(text(a), params, data));
      }
    }
    Path out = scratch.resolve(name + "-" + System.nanoTime() + ".properties");
    boolean capture = child(java, "capture-output") != null;
    if (capture) {
      System.setProperty(ActionOutput.PROPERTY, out.toString());
    }
    MainTest.Run r;
    try {
      r = MainTest.tsad(args.toArray(new String[0]));
    } finally {
      System.clearProperty(ActionOutput.PROPERTY);
    }
    assertEquals(0, r.code(), "action " + name + " " + args + " failed:\n" + r.err());
    stdout.put(name, r.out());
    if (capture) {
      assertTrue(Files.exists(out), "action " + name + " has capture-output but wrote no properties");
      data.put(name, properties(out));
    }
  }

  private static String decide(Element decision, Map<String, String> params, Map<String, Map<String, String>> data) {
    Element sw = child(decision, "switch");
    for (Element c : children(sw)) {
      if (c.getLocalName().equals("case")) {
        String v = el(text(c), params, data);
        assertTrue(v.equals("true") || v.equals("false"), "case predicate is not boolean: " + text(c));
        if (v.equals("true")) {
          return c.getAttribute("to");
        }
      } else {
        return c.getAttribute("to");
      }
    }
    throw new AssertionError("decision " + decision.getAttribute("name") + " has no default");
  }

  /** Substitutes every ${...} in {@code s}. */
  static String el(String s, Map<String, String> params, Map<String, Map<String, String>> data) {
    Matcher m = EL.matcher(s);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(expr(m.group(1).trim(), params, data)));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String expr(String e, Map<String, String> params, Map<String, Map<String, String>> data) {
    Matcher eq = EQ.matcher(e);
    if (eq.matches()) {
      return Boolean.toString(expr(eq.group(1).trim(), params, data).equals(eq.group(2)));
    }
    Matcher ad = ACTION_DATA.matcher(e);
    if (ad.matches()) {
      Map<String, String> d = data.get(ad.group(1));
      assertTrue(d != null, "wf:actionData('" + ad.group(1) + "') read before that action ran with capture-output");
      assertTrue(d.containsKey(ad.group(2)), "action " + ad.group(1) + " captured no '" + ad.group(2) + "': " + d);
      return d.get(ad.group(2));
    }
    if (e.matches("[A-Za-z_][A-Za-z0-9_.]*")) {
      assertTrue(params.containsKey(e), "workflow parameter " + e + " is not set");
      return el(params.get(e), params, data);
    }
    throw new AssertionError("EL expression not supported by the test walker: ${" + e + "}");
  }

  static List<Element> children(Node parent) {
    List<Element> out = new ArrayList<>();
    NodeList list = parent.getChildNodes();
    for (int i = 0; i < list.getLength(); i++) {
      if (list.item(i) instanceof Element e) {
        out.add(e);
      }
    }
    return out;
  }

  private static Element child(Element parent, String localName) {
    return children(parent).stream().filter(e -> e.getLocalName().equals(localName)).findFirst().orElse(null);
  }

  private static String text(Element e) {
    return e.getTextContent().trim();
  }

  private static void deleteTree(Path p) throws IOException {
    if (Files.exists(p)) {
      try (Stream<Path> s = Files.walk(p)) {
        for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(x);
        }
      }
    }
  }
}
