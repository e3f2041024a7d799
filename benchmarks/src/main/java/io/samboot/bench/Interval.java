package io.samboot.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * A median with its 95 % interval by the percentile bootstrap: the measurements are drawn
 * again with replacement many times, and the interval holds the middle 95 % of the
 * medians so drawn. On a shared, noisy machine a target is decided only when the whole
 * interval lies on one side of it.
 *
 * @param estimate the median of the measurements
 * @param low the interval's lower end
 * @param high the interval's upper end
 * @param n how many measurements
 */
record Interval(double estimate, double low, double high, int n) {

	/**
	 * Fewer measurements than this decide no target: an interval of one or two is no
	 * interval.
	 */
	static final int FEWEST_TO_DECIDE = 5;

	/** Resamples per interval: enough for stable 2.5 % and 97.5 % points. */
	static final int RESAMPLES = 2000;

	/** A fixed seed: the same measurements always give the same interval. */
	private static final long SEED = 20261203L;

	static Interval none() {
		return new Interval(Double.NaN, Double.NaN, Double.NaN, 0);
	}

	/**
	 * The median of {@code values} (for instance ratios paired per round) and its
	 * interval.
	 */
	static Interval ofMedian(List<Double> values) {
		return of(values, Interval::median);
	}

	/**
	 * The mean of {@code values} and its interval: for a figure whose total is what
	 * counts, such as the CPU an idle process takes second by second, where a median
	 * would pass over the few busy seconds that are part of its cost.
	 */
	static Interval ofMean(List<Double> values) {
		return of(values, Interval::mean);
	}

	private static Interval of(List<Double> values, ToDoubleFunction<List<Double>> statistic) {
		if (values.isEmpty()) {
			return none();
		}
		SplittableRandom random = new SplittableRandom(SEED);
		double[] resampled = new double[RESAMPLES];
		for (int i = 0; i < RESAMPLES; i++) {
			resampled[i] = statistic.applyAsDouble(resample(values, random));
		}
		return interval(statistic.applyAsDouble(values), resampled, values.size());
	}

	boolean empty() {
		return this.n == 0;
	}

	/**
	 * For a target "at most {@code limit}": {@code met} when the whole interval is at or
	 * below it, a bold {@code missed} when the whole interval is above it,
	 * {@code undecided} when it straddles it (more rounds, or a quieter machine, would
	 * tell) or rests on fewer than {@link #FEWEST_TO_DECIDE} measurements.
	 */
	String verdictAtMost(double limit) {
		if (empty()) {
			return "n/a";
		}
		if (this.n < FEWEST_TO_DECIDE) {
			return "undecided (n=" + this.n + ")";
		}
		return (this.high <= limit) ? "met" : (this.low > limit) ? "**missed**" : "undecided";
	}

	/** For a target "at least {@code limit}", as {@link #verdictAtMost}. */
	String verdictAtLeast(double limit) {
		if (empty()) {
			return "n/a";
		}
		if (this.n < FEWEST_TO_DECIDE) {
			return "undecided (n=" + this.n + ")";
		}
		return (this.low >= limit) ? "met" : (this.high < limit) ? "**missed**" : "undecided";
	}

	/** {@code 1.030 (95 % 0.956-1.118, n=10)}, or {@code n/a}. */
	String format() {
		return empty() ? "n/a" : String.format(Locale.ROOT, "%.3f (95 %% %.3f-%.3f, n=%d)", this.estimate, this.low,
				this.high, this.n);
	}

	/** As {@link #format()}, with numbers as {@link Stats#num} prints them and a unit. */
	String format(String unit) {
		return empty() ? "n/a" : Stats.num(this.estimate) + " " + unit + " (95 % " + Stats.num(this.low) + "-"
				+ Stats.num(this.high) + ", n=" + this.n + ")";
	}

	private static Interval interval(double estimate, double[] resampled, int n) {
		java.util.Arrays.sort(resampled);
		int lower = (int) Math.floor(RESAMPLES * 0.025);
		int upper = (int) Math.ceil(RESAMPLES * 0.975) - 1;
		return new Interval(estimate, resampled[lower], resampled[upper], n);
	}

	private static List<Double> resample(List<Double> values, SplittableRandom random) {
		List<Double> drawn = new ArrayList<>(values.size());
		for (int i = 0; i < values.size(); i++) {
			drawn.add(values.get(random.nextInt(values.size())));
		}
		return drawn;
	}

	private static double mean(List<Double> values) {
		double sum = 0;
		for (double value : values) {
			sum += value;
		}
		return sum / values.size();
	}

	private static double median(List<Double> values) {
		List<Double> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		int n = sorted.size();
		return (n % 2 == 1) ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
	}

}
