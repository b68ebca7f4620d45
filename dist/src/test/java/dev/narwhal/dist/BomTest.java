package dev.narwhal.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The BOM users import has no parent (so it pins nothing of this build's test libraries), hence
 * restates the version and the Pekko versions: they must stay what the build uses, and it must
 * list every module a user may depend on.
 */
class BomTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  /** Reactor modules that are not for users' builds: the apps and the runnable distribution. */
  static final Set<String> NOT_PUBLISHED = Set.of("narwhal-examples", "narwhal-dist", "narwhal-bom");

  static Document pom(Path file) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
  }

  static String child(Element parent, String name) {
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      if (nodes.item(i) instanceof Element e && e.getTagName().equals(name)) {
        return e.getTextContent().strip();
      }
    }
    return null;
  }

  static String property(Document pom, String name) {
    return pom.getElementsByTagName(name).item(0).getTextContent().strip();
  }

  @Test
  void the_bom_has_the_build_s_version_and_pekko_versions() throws Exception {
    Document parent = pom(ROOT.resolve("pom.xml"));
    Document bom = pom(ROOT.resolve("bom/pom.xml"));

    assertThat(child(bom.getDocumentElement(), "version")).isEqualTo(child(parent.getDocumentElement(), "version"));
    for (String p : List.of("scala.binary", "scala.version", "pekko.version", "pekko-http.version",
        "typesafe-config.version", "jackson.version", "slf4j.version")) {
      assertThat(property(bom, p)).as(p).isEqualTo(property(parent, p));
    }
  }

  @Test
  void the_bom_pins_every_module_a_user_can_depend_on() throws Exception {
    Document parent = pom(ROOT.resolve("pom.xml"));
    List<String> published = new ArrayList<>();
    NodeList modules = parent.getElementsByTagName("module");
    for (int i = 0; i < modules.getLength(); i++) {
      Path modulePom = ROOT.resolve(modules.item(i).getTextContent().strip()).resolve("pom.xml");
      String artifact = child(pom(modulePom).getDocumentElement(), "artifactId");
      if (!NOT_PUBLISHED.contains(artifact)) {
        published.add(artifact);
      }
    }
    List<String> pinned = new ArrayList<>();
    NodeList deps = pom(ROOT.resolve("bom/pom.xml")).getElementsByTagName("dependency");
    for (int i = 0; i < deps.getLength(); i++) {
      Element d = (Element) deps.item(i);
      if ("dev.narwhal".equals(child(d, "groupId"))) {
        assertThat(child(d, "version")).isEqualTo("${project.version}");
        pinned.add(child(d, "artifactId"));
      }
    }

    assertThat(published).isNotEmpty();
    assertThat(pinned).containsExactlyInAnyOrderElementsOf(published);
  }

  @Test
  void the_starter_asks_for_the_version_this_build_makes() throws Exception {
    String version = child(pom(ROOT.resolve("pom.xml")).getDocumentElement(), "version");

    assertThat(property(pom(ROOT.resolve("starter/pom.xml")), "narwhal.version")).isEqualTo(version);
    assertThat(Files.readString(ROOT.resolve("starter/pom.xml"))).doesNotContain("<relativePath").doesNotContain("../");
  }
}
