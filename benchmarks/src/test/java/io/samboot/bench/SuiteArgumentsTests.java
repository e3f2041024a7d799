package io.samboot.bench;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The suite's command line. */
class SuiteArgumentsTests {

	@Test
	void noArgumentsRunEverySectionWithFourRoundsAndTheDefaultPaths() throws Exception {
		SuiteArguments arguments = SuiteArguments.parse(new String[0]);

		assertThat(arguments.sampleJar()).isEqualTo(Path.of("sample-app/target/sample-app-0.1.0-SNAPSHOT.jar"));
		assertThat(arguments.sambench()).isNull();
		assertThat(arguments.out()).isEqualTo(Path.of("benchmarks/target/results"));
		assertThat(arguments.quick()).isFalse();
		assertThat(arguments.rounds()).isEqualTo(10);
		assertThat(arguments.only()).containsExactlyInAnyOrder("micro", "detection", "start", "idle", "throughput",
				"standby");
		assertThat(arguments.standbyRounds()).isEqualTo(20);
	}

	@Test
	void quickRunsOneRound() throws Exception {
		SuiteArguments arguments = SuiteArguments.parse(new String[] { "--quick" });

		assertThat(arguments.quick()).isTrue();
		assertThat(arguments.rounds()).isEqualTo(1);
		assertThat(arguments.standbyRounds()).isEqualTo(3);
	}

	@Test
	void standbyRoundsAreTheirOwn() throws Exception {
		SuiteArguments arguments = SuiteArguments.parse(new String[] { "--standby-rounds", "7", "--rounds", "2" });

		assertThat(arguments.standbyRounds()).isEqualTo(7);
		assertThat(arguments.rounds()).isEqualTo(2);
	}

	@Test
	void roundsGivenWinOverQuick() throws Exception {
		assertThat(SuiteArguments.parse(new String[] { "--rounds", "3", "--quick" }).rounds()).isEqualTo(3);
	}

	@Test
	void onlyTakesSectionsSeparatedByCommas() throws Exception {
		assertThat(SuiteArguments.parse(new String[] { "--only", "micro,idle" }).only())
			.containsExactlyInAnyOrder("micro", "idle");
	}

	@Test
	void pathsAreTakenFromTheirOptions() throws Exception {
		SuiteArguments arguments = SuiteArguments
			.parse(new String[] { "--sample-jar", "a.jar", "--sambench", "bin/sambench", "--out", "results" });

		assertThat(arguments.sampleJar()).isEqualTo(Path.of("a.jar"));
		assertThat(arguments.sambench()).isEqualTo(Path.of("bin/sambench"));
		assertThat(arguments.out()).isEqualTo(Path.of("results"));
	}

	@Test
	void anUnknownArgumentIsNamed() {
		assertThatExceptionOfType(SuiteArguments.UnknownArgumentException.class)
			.isThrownBy(() -> SuiteArguments.parse(new String[] { "--quick", "--fast" }))
			.withMessage("unknown argument --fast")
			.satisfies(ex -> assertThat(ex.argument()).isEqualTo("--fast"));
	}

	@Test
	void withoutSambenchKeepsEverythingElse() throws Exception {
		SuiteArguments arguments = SuiteArguments
			.parse(new String[] { "--sambench", "sambench", "--quick", "--only", "micro" });

		SuiteArguments without = arguments.withoutSambench();

		assertThat(without.sambench()).isNull();
		assertThat(without).usingRecursiveComparison().ignoringFields("sambench").isEqualTo(arguments);
	}

}
