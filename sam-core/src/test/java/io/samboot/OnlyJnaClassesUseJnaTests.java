package io.samboot;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.samboot.nativeaccess.NativeAccess;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * JNA is an optional dependency: a class that links against it fails with
 * {@link NoClassDefFoundError} where it is missing, so in sam-core only the {@code Jna*} classes
 * (and their nested classes) may, and nothing reaches them before {@code NativeAccessHolder} has
 * checked that JNA is there. Checked on the compiled classes, so a fully qualified name in code
 * counts as much as an import.
 */
class OnlyJnaClassesUseJnaTests {

    private static final DescribedPredicate<JavaClass> OUTSIDE_JNA_FILES = DescribedPredicate
        .describe("are declared outside Jna*.java", (type) -> !type.getSourceCodeLocation().getSourceFileName()
            .startsWith("Jna"));

    @Test
    void onlyClassesOfJnaSourceFilesDependOnJna() {
        JavaClasses samCore = new ClassFileImporter()
            .importUrl(NativeAccess.class.getProtectionDomain().getCodeSource().getLocation());
        noClasses().that(OUTSIDE_JNA_FILES)
            .should().dependOnClassesThat().resideInAPackage("com.sun.jna..")
            .because("JNA is optional; only the Jna* classes of io.samboot.nativeaccess may link against it")
            .check(samCore);
    }
}
