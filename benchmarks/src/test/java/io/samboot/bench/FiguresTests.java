package io.samboot.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How single figures print in the report. */
class FiguresTests {

	@Test
	void ratioHasTwoDecimals() {
		assertThat(Figures.ratio(1.0 / 3)).isEqualTo("0.33");
	}

	@Test
	void ratioOfNothingIsNotAvailable() {
		assertThat(Figures.ratio(Double.NaN)).isEqualTo("n/a");
		assertThat(Figures.ratio(1.0 / 0)).isEqualTo("n/a");
	}

	@Test
	void microsecondsPrintAsStatsNumbers() {
		assertThat(Figures.us(56.261)).isEqualTo("56.26 us");
	}

	@Test
	void aMissedTargetIsBold() {
		assertThat(Figures.met(true)).isEqualTo("yes");
		assertThat(Figures.met(false)).isEqualTo("**no**");
	}

	@Test
	void nanosecondsBecomeMilliseconds() {
		assertThat(Figures.ms(1_500_000)).isEqualTo(1.5);
	}

}
