package io.samboot.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Median and range of a few measurements, and how they print. */
record Stats(int n, double median, double min, double max, List<Double> values) {

	static Stats of(List<Double> values) {
		List<Double> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		int n = sorted.size();
		if (n == 0) {
			return new Stats(0, Double.NaN, Double.NaN, Double.NaN, List.of());
		}
		double median = (n % 2 == 1) ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
		return new Stats(n, median, sorted.get(0), sorted.get(n - 1), List.copyOf(values));
	}

	boolean empty() {
		return this.n == 0;
	}

	/** {@code 12.3 ms (10.1-15.0, n=5)}. */
	String format(String unit) {
		if (this.n == 0) {
			return "n/a";
		}
		return num(this.median) + (unit.isEmpty() ? "" : " " + unit) + " (" + num(this.min) + "-" + num(this.max)
				+ ", n=" + this.n + ")";
	}

	String all() {
		StringBuilder out = new StringBuilder();
		for (double value : this.values) {
			out.append((out.length() > 0) ? " " : "").append(num(value));
		}
		return out.toString();
	}

	static String num(double value) {
		if (Double.isNaN(value)) {
			return "n/a";
		}
		double abs = Math.abs(value);
		if (abs >= 1000) {
			return String.format(Locale.ROOT, "%.0f", value);
		}
		if (abs >= 100) {
			return String.format(Locale.ROOT, "%.1f", value);
		}
		if (abs >= 10) {
			return String.format(Locale.ROOT, "%.2f", value);
		}
		if (abs >= 1) {
			return String.format(Locale.ROOT, "%.2f", value);
		}
		return String.format(Locale.ROOT, "%.3f", value);
	}
}
