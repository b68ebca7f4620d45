package dev.narwhal.dist;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The module structure of issue 17, checked on the compiled classes of every module (this module
 * sees them all): which module may use which, that {@code internal} packages stay inside their
 * module, and no package cycles. Packages are split across modules ({@code dev.narwhal} holds the
 * API in framework, {@code Server} in http-frontend and {@code Main} in the launcher), so a class's
 * module is where it was loaded from, not its package.
 */
@AnalyzeClasses(packages = "dev.narwhal", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  /** In dependency order. */
  static final List<String> MODULES = List.of("framework", "supervisor-actors", "http-frontend", "cluster",
      "servlet", "test-kit", "launcher", "examples");

  /** The module a class was compiled in: its classes directory in the reactor, or its jar. */
  static Optional<String> module(JavaClass c) {
    String uri = c.getSource().map(s -> s.getUri().toString()).orElse("");
    return MODULES.stream()
        .filter(m -> uri.contains("/" + m + "/target/") || uri.contains("/" + artifact(m) + "-0"))
        .findFirst();
  }

  /** The artifactId of a module folder, for classes read from an installed jar. */
  static String artifact(String module) {
    return module.equals("test-kit") ? "narwhal-test" : "narwhal-" + module;
  }

  static DescribedPredicate<JavaClass> inModule(String... names) {
    Set<String> wanted = Set.of(names);
    return DescribedPredicate.describe("in module " + String.join(" or ", names),
        c -> module(c).filter(wanted::contains).isPresent());
  }

  @ArchTest
  static final ArchRule framework_depends_on_no_other_module_of_ours = noClasses()
      .that(inModule("framework"))
      .should().dependOnClassesThat(inModule("supervisor-actors", "http-frontend", "cluster", "servlet", "test-kit",
          "launcher", "examples"));

  @ArchTest
  static final ArchRule supervisor_actors_depend_on_framework_only = noClasses()
      .that(inModule("supervisor-actors"))
      .should().dependOnClassesThat(inModule("http-frontend", "cluster", "test-kit", "launcher", "examples"));

  @ArchTest
  static final ArchRule http_frontend_does_not_reach_up_to_the_launcher_the_cluster_or_the_examples = noClasses()
      .that(inModule("http-frontend"))
      .should().dependOnClassesThat(inModule("cluster", "test-kit", "launcher", "examples"));

  @ArchTest
  static final ArchRule cluster_depends_on_framework_supervisor_actors_and_http_frontend_only = noClasses()
      .that(inModule("cluster"))
      .should().dependOnClassesThat(inModule("test-kit", "launcher", "examples"));

  /** The servlet bridge runs on the public API alone, like any application. */
  @ArchTest
  static final ArchRule the_servlet_bridge_depends_on_framework_only = noClasses()
      .that(inModule("servlet"))
      .should().dependOnClassesThat(inModule("supervisor-actors", "http-frontend", "cluster", "test-kit", "launcher",
          "examples"));

  /** The test kit is a user's test dependency: it sees the server, never the CLI, the cluster or the apps. */
  @ArchTest
  static final ArchRule the_test_kit_depends_on_framework_supervisor_actors_and_http_frontend_only = noClasses()
      .that(inModule("test-kit"))
      .should().dependOnClassesThat(inModule("cluster", "launcher", "examples"));

  /** No production code depends on the test kit. */
  @ArchTest
  static final ArchRule the_launcher_and_the_examples_do_not_use_the_test_kit = noClasses()
      .that(inModule("launcher", "examples"))
      .should().dependOnClassesThat(inModule("test-kit"));

  /**
   * Pekko Cluster is the cluster module's alone: a server without that module on its class path
   * loads no cluster class (the server finds the cluster through ServiceLoader, dev.narwhal.cluster).
   */
  @ArchTest
  static final ArchRule only_the_cluster_module_uses_pekko_cluster = noClasses()
      .that(inModule("framework", "supervisor-actors", "http-frontend"))
      .should().dependOnClassesThat().resideInAPackage("org.apache.pekko.cluster..");

  @ArchTest
  static final ArchRule examples_use_the_public_api_only = noClasses()
      .that(inModule("examples"))
      .should().dependOnClassesThat(inModule("supervisor-actors", "http-frontend", "cluster", "launcher")
          .or(DescribedPredicate.describe("in an ..internal.. package of ours",
              c -> c.getPackageName().startsWith("dev.narwhal.") && c.getPackageName().contains(".internal"))));

  /**
   * An {@code internal} package is its module's business: a class another module needs has a public
   * home in a non-internal package of the module that owns it. No exceptions.
   */
  static final ArchCondition<JavaClass> NOT_USE_ANOTHER_MODULES_INTERNALS =
      new ArchCondition<>("not use a class of another module's internal package") {
        @Override
        public void check(JavaClass origin, ConditionEvents events) {
          Optional<String> from = module(origin);
          for (Dependency d : origin.getDirectDependenciesFromSelf()) {
            JavaClass target = d.getTargetClass();
            Optional<String> to = module(target);
            if (target.getPackageName().contains(".internal") && to.isPresent() && from.isPresent()
                && !to.equals(from)) {
              events.add(SimpleConditionEvent.violated(d, from.get() + " uses " + to.get() + "'s internal: "
                  + d.getDescription()));
            }
          }
        }
      };

  @ArchTest
  static final ArchRule no_module_uses_another_module_s_internal_classes = classes()
      .that(DescribedPredicate.describe("are in one of our modules", c -> module(c).isPresent()))
      .should(NOT_USE_ANOTHER_MODULES_INTERNALS);

  @ArchTest
  static final ArchRule no_package_cycles = slices().matching("dev.narwhal.(*)..").should().beFreeOfCycles();
}
