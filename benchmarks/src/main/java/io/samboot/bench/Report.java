package io.samboot.bench;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The suite's report as the sections fill it: rows of the figures table, kept in the
 * order of the benchmarks issue's table, and the detail sections below it.
 */
final class Report {

	/** Table rows by their place in the table. */
	private final TreeMap<Integer, List<String[]>> rows = new TreeMap<>();

	private final StringBuilder details = new StringBuilder();

	/** Adds a row of the figures table at its place in the table. */
	void row(int order, String figure, String ours, String comparedWith, String ratio, String target, String met) {
		this.rows.computeIfAbsent(order, key -> new ArrayList<>())
			.add(new String[] { figure, ours, comparedWith, ratio, target, met });
	}

	/** The text below the table: each section appends its own headings and tables. */
	StringBuilder details() {
		return this.details;
	}

	/**
	 * A row of a detail table comparing two sides in milliseconds; the second column
	 * stays empty when {@code theirs} is {@code null}.
	 */
	void detailRow(String measure, List<Double> ours, List<Double> theirs) {
		this.details.append("| ")
			.append(measure)
			.append(" | ")
			.append(Stats.of(ours).format("ms"))
			.append(" | ")
			.append((theirs != null) ? Stats.of(theirs).format("ms") : "")
			.append(" |\n");
	}

	/** A row of a detail table: median (range, n), then every value. */
	void detailLine(String measure, Stats stats) {
		this.details.append("| ")
			.append(measure)
			.append(" | ")
			.append(stats.format(""))
			.append(" | ")
			.append(stats.all())
			.append(" |\n");
	}

	/**
	 * The whole report.
	 * @param taken when the report is written
	 * @param seconds how long the suite ran
	 * @param quick whether it was a quick run
	 * @param machine the machine's description
	 * @param loadBefore the load average when the suite started
	 * @param loadAfter the load average at the end
	 * @return the report in Markdown
	 */
	String text(OffsetDateTime taken, long seconds, boolean quick, String machine, String loadBefore,
			String loadAfter) {
		StringBuilder report = new StringBuilder();
		report.append("## Results\n\n")
			.append("Taken ")
			.append(taken)
			.append(" in ")
			.append(seconds / 60)
			.append(" min ")
			.append(seconds % 60)
			.append(" s")
			.append(quick ? " (QUICK run: too few samples for figures)" : "")
			.append(".\n\n")
			.append(machine)
			.append("\nLoad average before / after: ")
			.append(loadBefore)
			.append(" / ")
			.append(loadAfter)
			.append(".\n\n")
			.append("| figure | SAM for Spring Boot | compared with | ratio | target | met |\n")
			.append("| --- | --- | --- | --- | --- | --- |\n");
		for (List<String[]> group : this.rows.values()) {
			for (String[] row : group) {
				report.append("| ").append(String.join(" | ", row)).append(" |\n");
			}
		}
		report.append("\nMedians with (min-max, n). Ratios are SAM for Spring Boot / comparison;"
				+ " start, recovery and throughput ratios are paired per round, then the median is taken.\n");
		report.append(this.details);
		return report.toString();
	}

}
