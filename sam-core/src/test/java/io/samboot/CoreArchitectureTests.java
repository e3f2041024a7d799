package io.samboot;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layers of sam-core, read from its compiled classes: the API package
 * {@code io.samboot} is the vocabulary every layer speaks and imports none of them; no
 * two packages depend on each other in a circle; only the {@code Jna*} classes touch JNA.
 * (The compiler keeps Spring out: sam-core does not have it on its class path.)
 */
class CoreArchitectureTests {

	/**
	 * Where sam-core's own classes are (not the test support's, which shares the base
	 * package).
	 */
	private static final String CORE_LOCATION = Sam.class.getProtectionDomain()
		.getCodeSource()
		.getLocation()
		.toString();

	private static final JavaClasses CORE = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.withImportOption(location -> location.asURI().toString().startsWith(CORE_LOCATION))
		.importPackages("io.samboot");

	/**
	 * Every package of sam-core is a slice of its own, the API package {@code io.samboot}
	 * included.
	 */
	private static final SliceAssignment BY_PACKAGE = new SliceAssignment() {
		@Override
		public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
			return SliceIdentifier.of(javaClass.getPackageName());
		}

		@Override
		public String getDescription() {
			return "the packages of sam-core";
		}
	};

	/** Classes neither named {@code Jna*} nor nested in one. */
	private static final DescribedPredicate<JavaClass> NOT_JNA_CLASSES = new DescribedPredicate<>(
			"are neither Jna* classes nor nested in one") {
		@Override
		public boolean test(JavaClass javaClass) {
			JavaClass outermost = javaClass;
			while (outermost.getEnclosingClass().isPresent()) {
				outermost = outermost.getEnclosingClass().get();
			}
			return !outermost.getSimpleName().startsWith("Jna");
		}
	};

	@Test
	void theCoreIsWhereWeLookForIt() {
		org.assertj.core.api.Assertions.assertThat(CORE.size()).isGreaterThan(100);
	}

	@Test
	void packagesDependOnEachOtherWithoutCycles() {
		slices().assignedFrom(BY_PACKAGE).should().beFreeOfCycles().check(CORE);
	}

	@Test
	void theApiPackageImportsNoLayer() {
		noClasses().that()
			.resideInAPackage("io.samboot")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.samboot.(*)..")
			.because("the layers use the API's vocabulary; Sam reaches its handle through ServiceLoader")
			.check(CORE);
	}

	@Test
	void theWireFormatKnowsNothingOfWhoSpeaksIt() {
		noClasses().that()
			.resideInAPackage("io.samboot.protocol..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.samboot.supervisor..", "io.samboot.instance..", "io.samboot.session..",
					"io.samboot.nativeaccess..")
			.check(CORE);
	}

	@Test
	void nativeAccessIsTheBottomLayer() {
		noClasses().that()
			.resideInAPackage("io.samboot.nativeaccess..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.samboot.supervisor..", "io.samboot.instance..", "io.samboot.session..",
					"io.samboot.protocol..")
			.check(CORE);
	}

	@Test
	void theSupervisorDoesNotUseTheInstanceSide() {
		noClasses().that()
			.resideInAPackage("io.samboot.supervisor..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.samboot.instance..", "io.samboot.session..")
			.check(CORE);
	}

	@Test
	void onlyJnaClassesTouchJna() {
		noClasses().that(NOT_JNA_CLASSES).should().dependOnClassesThat().resideInAPackage("com.sun.jna..").check(CORE);
	}

}
