package io.samboot.soak;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import io.samboot.soak.CoreSoak.Kind;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The core soak ({@link CoreSoak}) in every build: each kind of fault once on one lane.
 * The long run is the same test with more faults and lanes (docs/RELIABILITY.md):
 * {@code -Dsoak.core.faults=10000 -Dsoak.core.lanes=4 -Dsoak.core.minutes=60}.
 */
@Tag("process")
class CoreSoakProcessTests {

	@Test
	void everyFaultIsRecoveredWithNothingLost(@TempDir Path directory) throws Exception {
		Set<Kind> kinds = kinds(System.getProperty("soak.core.kinds"));
		int faults = Integer.getInteger("soak.core.faults", kinds.size());
		CoreSoak.Options options = new CoreSoak.Options(faults, Integer.getInteger("soak.core.lanes", 1),
				Duration.ofMinutes(Long.getLong("soak.core.minutes", 5)), Long.getLong("soak.core.seed", 20261202L),
				Duration.ofMillis(Long.getLong("soak.core.interval-ms", 800)), kinds);

		CoreSoak.Report report = new CoreSoak(options, directory).run();

		System.out.println(report);
		assertThat(report.violations()).as(report.toString()).isZero();
		assertThat(report.injected()).as("every fault injected within the budget:\n" + report).isEqualTo(faults);
	}

	private static Set<Kind> kinds(String names) {
		if (names == null || names.isBlank()) {
			return EnumSet.allOf(Kind.class);
		}
		return Arrays.stream(names.split(","))
			.map((name) -> Kind.valueOf(name.strip().toUpperCase(Locale.ROOT)))
			.collect(Collectors.toCollection(() -> EnumSet.noneOf(Kind.class)));
	}

}
