package io.samboot.bench;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Medians with bootstrap intervals, and the verdicts they give. */
class IntervalTests {

	private static final List<Double> TIGHT = List.of(1.01, 1.02, 1.00, 1.03, 1.02, 1.01, 1.02, 1.00, 1.01, 1.02);

	private static final List<Double> WIDE = List.of(0.90, 1.20, 0.95, 1.30, 1.00, 1.10, 0.85, 1.25, 1.05, 0.98);

	@Test
	void theIntervalHoldsTheMedianAndLiesWithinTheMeasurements() {
		Interval interval = Interval.ofMedian(WIDE);

		assertThat(interval.estimate()).isEqualTo(1.025);
		assertThat(interval.low()).isLessThanOrEqualTo(interval.estimate()).isGreaterThanOrEqualTo(0.85);
		assertThat(interval.high()).isGreaterThanOrEqualTo(interval.estimate()).isLessThanOrEqualTo(1.30);
		assertThat(interval.n()).isEqualTo(10);
	}

	@Test
	void theSameMeasurementsGiveTheSameInterval() {
		assertThat(Interval.ofMedian(WIDE)).isEqualTo(Interval.ofMedian(WIDE));
	}

	@Test
	void aTargetIsDecidedOnlyByTheWholeInterval() {
		assertThat(Interval.ofMedian(TIGHT).verdictAtMost(1.05)).isEqualTo("met");
		assertThat(Interval.ofMedian(TIGHT).verdictAtMost(0.99)).isEqualTo("**missed**");
		assertThat(Interval.ofMedian(WIDE).verdictAtMost(1.05)).isEqualTo("undecided");
		assertThat(Interval.ofMedian(TIGHT).verdictAtLeast(0.98)).isEqualTo("met");
		assertThat(Interval.ofMedian(TIGHT).verdictAtLeast(1.10)).isEqualTo("**missed**");
		assertThat(Interval.ofMedian(WIDE).verdictAtLeast(0.98)).isEqualTo("undecided");
	}

	@Test
	void aMeanCountsTheFewBusySecondsAMedianWouldPassOver() {
		List<Double> seconds = List.of(0.07, 0.07, 0.07, 0.07, 0.07, 0.07, 0.07, 0.07, 0.40, 0.40);

		Interval mean = Interval.ofMean(seconds);

		assertThat(mean.estimate()).isCloseTo(0.136, within(1e-9));
		assertThat(Interval.ofMedian(seconds).estimate()).isEqualTo(0.07);
		assertThat(mean.low()).isLessThan(mean.estimate()).isGreaterThanOrEqualTo(0.07);
		assertThat(mean.high()).isGreaterThan(mean.estimate()).isLessThanOrEqualTo(0.40);
		assertThat(mean.verdictAtMost(0.10)).isEqualTo("undecided");
		assertThat(Interval.ofMean(List.of(0.09, 0.091, 0.089, 0.09, 0.092, 0.088)).verdictAtMost(0.10))
			.isEqualTo("met");
		assertThat(Interval.ofMean(List.of(0.11, 0.111, 0.109, 0.11, 0.112, 0.108)).verdictAtMost(0.10))
			.isEqualTo("**missed**");
	}

	@Test
	void fewerThanFiveMeasurementsDecideNothing() {
		assertThat(Interval.ofMedian(List.of(1.0, 1.0, 1.0, 1.0)).verdictAtMost(1.05)).isEqualTo("undecided (n=4)");
		assertThat(Interval.ofMedian(List.of(2.0)).verdictAtLeast(0.98)).isEqualTo("undecided (n=1)");
	}

	@Test
	void nothingMeasuredIsNotAvailable() {
		assertThat(Interval.ofMedian(List.of()).format()).isEqualTo("n/a");
		assertThat(Interval.ofMedian(List.of()).verdictAtMost(1)).isEqualTo("n/a");
	}

	@Test
	void itPrintsWithItsInterval() {
		assertThat(Interval.ofMedian(List.of(1.0)).format()).isEqualTo("1.000 (95 % 1.000-1.000, n=1)");
		assertThat(Interval.ofMedian(List.of(56.3)).format("us")).isEqualTo("56.30 us (95 % 56.30-56.30, n=1)");
	}

}
