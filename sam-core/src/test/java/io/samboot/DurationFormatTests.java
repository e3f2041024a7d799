package io.samboot;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Durations as a user writes them in {@code application.yml}.
 */
class DurationFormatTests {

	@Test
	void zeroIsABareZero() {
		assertThat(DurationFormat.format(Duration.ZERO)).isEqualTo("0");
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource({ "P2D, 2d", "PT3H, 3h", "PT90M, 90m", "PT10S, 10s", "PT0.25S, 250ms", "PT0.0005S, 500us",
			"PT0.000000001S, 1ns" })
	void aWholeDurationIsWrittenInTheLargestUnitThatHoldsIt(String iso, String written) {
		assertThat(DurationFormat.format(Duration.parse(iso))).isEqualTo(written);
	}

	@Test
	void aFractionFallsToTheUnitThatHoldsItWhole() {
		assertThat(DurationFormat.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
	}

	@Test
	void aNegativeDurationKeepsItsSign() {
		assertThat(DurationFormat.format(Duration.ofSeconds(-1))).isEqualTo("-1s");
	}

	@Test
	void aDurationBeyondLongNanosecondsIsWrittenExactly() {
		assertThat(DurationFormat.format(Duration.ofDays(999_999_999).plusNanos(1)))
			.isEqualTo("86399999913600000000001ns");
	}

}
