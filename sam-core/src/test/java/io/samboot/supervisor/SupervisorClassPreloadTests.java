package io.samboot.supervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.samboot.SamSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

class SupervisorClassPreloadTests {

	private static final AtomicBoolean INITIALISED = new AtomicBoolean();

	@Test
	void listsTheClassesOfTheGivenPackagesWithoutSubpackagesOrDescriptors(@TempDir Path directory) throws IOException {
		Path jar = directory.resolve("some.jar");
		try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
			for (String entry : List.of("META-INF/MANIFEST.MF", "module-info.class", "io/samboot/supervisor/A.class",
					"io/samboot/supervisor/A$B.class", "io/samboot/supervisor/package-info.class",
					"io/samboot/supervisor/notes.txt", "io/samboot/supervisor/sub/C.class", "io/samboot/D.class",
					"io/samboot/instance/E.class", "org/openjdk/jmh/F.class",
					"META-INF/versions/21/io/samboot/supervisor/A.class", "G.class")) {
				out.putNextEntry(new JarEntry(entry));
				out.closeEntry();
			}
		}
		assertThat(SupervisorClassPreload.classNames(jar, List.of(SupervisorMain.class, SamSettings.class)))
			.containsExactly("io.samboot.supervisor.A", "io.samboot.supervisor.A$B", "io.samboot.D");
	}

	@Test
	void everyPackageOfTheCoreThatTheSupervisorUsesIsLoadedAhead() {
		String[] preloaded = SupervisorClassPreload.PACKAGES.stream().map(Class::getPackageName).toArray(String[]::new);
		String coreLocation = SupervisorMain.class.getProtectionDomain().getCodeSource().getLocation().toString();
		JavaClasses core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.withImportOption((location) -> location.asURI().toString().startsWith(coreLocation))
			.importPackages("io.samboot");
		// The top-level package is the client's API too; what the supervisor uses of it
		// is loaded, the rest is not its concern.
		noClasses().that()
			.resideInAnyPackage(
					Arrays.stream(preloaded).filter((name) -> !name.equals("io.samboot")).toArray(String[]::new))
			.should()
			.dependOnClassesThat(resideInAPackage("io.samboot..").and(not(resideInAnyPackage(preloaded))))
			.because("SupervisorClassPreload loads only its PACKAGES ahead, so a crash finds them in the archive")
			.check(core);
	}

	@Test
	void loadsWithoutInitialisingAndSkipsWhatCannotBeLoaded() throws ClassNotFoundException {
		String name = SupervisorClassPreloadTests.class.getName() + "$Initialised";
		ClassLoader loader = getClass().getClassLoader();
		int loaded = SupervisorClassPreload.load(List.of(name, "no.such.Type"), loader);
		assertThat(loaded).isEqualTo(1);
		assertThat(INITIALISED).as("the static initialiser of the class loaded ahead").isFalse();
		Class.forName(name, true, loader);
		assertThat(INITIALISED).as("the same once initialised").isTrue();
	}

	@Test
	void findsTheJarAClassCameFromAndNothingForADirectory() throws Exception {
		assertThat(SupervisorClassPreload.jarOf(Test.class)).isNotNull().satisfies((jar) -> {
			assertThat(jar.toString()).endsWith(".jar");
			assertThat(SupervisorClassPreload.classNames(jar, List.of(Test.class))).contains(Test.class.getName())
				.allMatch((name) -> name.startsWith("org.junit.jupiter.api.") && name.indexOf('.', 23) < 0);
		});
		// Compiled into target/classes: a directory, as in an IDE.
		assertThat(SupervisorClassPreload.jarOf(SupervisorClassPreload.class)).isNull();
	}

	/** Touched by name only, so that nothing but the test initialises it. */
	static class Initialised {

		static {
			INITIALISED.set(true);
		}

	}

}
