package io.samboot.bench;

import java.util.Locale;

/** How a single figure prints in the report: ratios, microseconds, "met" and units. */
final class Figures {

	private Figures() {
	}

	/** A ratio to two decimals, or {@code n/a} when it is not a number. */
	static String ratio(double value) {
		return Double.isNaN(value) || Double.isInfinite(value) ? "n/a" : String.format(Locale.ROOT, "%.2f", value);
	}

	/** Microseconds, as {@link Stats#num(double)} prints them. */
	static String us(double value) {
		return Stats.num(value) + " us";
	}

	/** {@code yes}, or a bold {@code no}. */
	static String met(boolean met) {
		return met ? "yes" : "**no**";
	}

	/** Monotonic nanoseconds as milliseconds. */
	static double ms(long nanos) {
		return nanos / 1e6;
	}

}
