package io.relstore.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The layering of DESIGN.md, as rules over the compiled library. */
class ArchitectureTest {
  private static JavaClasses library;

  @BeforeAll
  static void importLibrary() {
    library = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(location -> !location.contains("/src-test/"))
        .importPackages("io.relstore");
  }

  private static final DescribedPredicate<JavaClass> INTERNAL =
      DescribedPredicate.describe("internal", c -> c.getPackageName().startsWith("io.relstore.internal"));

  @Test
  void thePublicApiNeverExposesAnInternalType() {
    methods().that().areDeclaredInClassesThat().resideInAnyPackage("io.relstore",
            "io.relstore.annotation")
        .and().arePublic()
        .and().areDeclaredInClassesThat().arePublic()
        .should().haveRawReturnType(DescribedPredicate.not(INTERNAL))
        .andShould(com.tngtech.archunit.lang.conditions.ArchConditions.<com.tngtech.archunit.core.domain.JavaMethod>
            have(DescribedPredicate.describe("no internal parameter type",
                m -> m.getRawParameterTypes().stream().noneMatch(INTERNAL))))
        .check(library);
  }

  @Test
  void internalsNeverReachBackToTheStoreFacade() {
    noClasses().that().resideInAPackage("io.relstore.internal..")
        .should().dependOnClassesThat().haveFullyQualifiedName("io.relstore.Store")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("io.relstore.RelatedSet")
        .check(library);
  }

  @Test
  void internalPackagesHaveNoCycles() {
    slices().matching("io.relstore.internal.(*)..").should().beFreeOfCycles().check(library);
  }

  @Test
  void theTableLayerKnowsNothingOfTransactionsOrDeletes() {
    noClasses().that().resideInAPackage("io.relstore.internal.table..")
        .should().dependOnClassesThat().resideInAnyPackage("io.relstore.internal.tx..",
            "io.relstore.internal.delete..", "io.relstore.internal.query..")
        .check(library);
  }

  @Test
  void theLibraryNeverPrintsToTheConsole() {
    noClasses().should().accessField(System.class, "out")
        .orShould().accessField(System.class, "err")
        .check(library);
  }

  @Test
  void runtimeCodeNeverNeedsTheCompilerModule() {
    noClasses().that().resideOutsideOfPackage("io.relstore.processor..")
        .should().dependOnClassesThat().resideInAnyPackage("javax.annotation.processing..",
            "javax.lang.model..", "javax.tools..")
        .check(library);
  }

  @Test
  void exceptionsAreUncheckedStoreExceptions() {
    com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes()
        .that().resideInAPackage("io.relstore").and().areAssignableTo(Throwable.class)
        .should().beAssignableTo(io.relstore.StoreException.class)
        .andShould().haveModifier(JavaModifier.PUBLIC)
        .check(library);
  }
}
