package io.samboot.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The micro-benchmarks' result lines, as {@link SupervisedJmh} and {@code sambench micro}
 * print them: {@code RESULT side name n=.. p50=.. p90=.. p99=.. mean=.. min=.. max=..}.
 * Values are {@code [n, p50, p90, p99, mean, min, max]}, in microseconds.
 */
final class MicroResults {

	private static final Pattern RESULT = Pattern.compile(
			"RESULT (\\S+) (\\S+) n=(\\d+) p50=([\\d.]+) p90=([\\d.]+) p99=([\\d.]+) mean=([\\d.]+) min=([\\d.]+) max=([\\d.]+)");

	private MicroResults() {
	}

	/**
	 * Values by benchmark name, in the lines' order; lines that are no result are
	 * skipped.
	 */
	static Map<String, double[]> parse(List<String> lines) {
		Map<String, double[]> results = new LinkedHashMap<>();
		for (String line : lines) {
			Matcher matcher = RESULT.matcher(line);
			if (matcher.matches()) {
				results.put(matcher.group(2), values(matcher));
			}
		}
		return results;
	}

	/** The values of one result line, or {@code null} when it is none. */
	static double[] values(String line) {
		Matcher matcher = RESULT.matcher(line);
		return matcher.matches() ? values(matcher) : null;
	}

	private static double[] values(Matcher matcher) {
		double[] values = new double[7];
		for (int i = 0; i < 7; i++) {
			values[i] = Double.parseDouble(matcher.group(3 + i));
		}
		return values;
	}

	/**
	 * Per call and statistic, the median over the runs; the calls are those of the first
	 * run.
	 */
	static Map<String, double[]> medianOfRuns(List<Map<String, double[]>> runs) {
		Map<String, double[]> median = new LinkedHashMap<>();
		if (runs.isEmpty()) {
			return median;
		}
		for (String name : runs.get(0).keySet()) {
			double[] combined = new double[7];
			for (int i = 0; i < 7; i++) {
				List<Double> column = new ArrayList<>();
				for (Map<String, double[]> run : runs) {
					if (run.containsKey(name)) {
						column.add(run.get(name)[i]);
					}
				}
				combined[i] = Stats.of(column).median();
			}
			median.put(name, combined);
		}
		return median;
	}

}
