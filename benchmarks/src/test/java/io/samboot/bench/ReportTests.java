package io.samboot.bench;

import java.time.OffsetDateTime;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The report's text and table layout. */
class ReportTests {

	private static final OffsetDateTime TAKEN = OffsetDateTime.parse("2026-11-22T07:40:30Z");

	private final Report report = new Report();

	@Test
	void headerSaysWhenHowLongOnWhatAndUnderWhichLoad() {
		String text = this.report.text(TAKEN, 451, false, "Machine: 2 CPUs.", "2.16 3.48 3.44", "5.45 4.08 3.57");

		assertThat(text).startsWith("## Results\n\nTaken 2026-11-22T07:40:30Z in 7 min 31 s.\n\nMachine: 2 CPUs.\n"
				+ "Load average before / after: 2.16 3.48 3.44 / 5.45 4.08 3.57.\n\n"
				+ "| figure | SAM for Spring Boot | compared with | ratio | target | met |\n"
				+ "| --- | --- | --- | --- | --- | --- |\n");
	}

	@Test
	void aQuickRunIsMarked() {
		assertThat(this.report.text(TAKEN, 59, true, "Machine.", "1", "2"))
			.contains("Taken 2026-11-22T07:40:30Z in 0 min 59 s (QUICK run: too few samples for figures).\n");
	}

	@Test
	void rowsFollowTheirPlaceThenTheOrderTheyCameIn() {
		this.report.row(7, "data store 1 KiB", "a", "b", "c", "d", "e");
		this.report.row(1, "first start", "1", "2", "3", "4", "5");
		this.report.row(7, "data restore 1 KiB", "f", "g", "h", "i", "j");

		assertThat(this.report.text(TAKEN, 0, false, "Machine.", "1", "2"))
			.contains("| --- | --- | --- | --- | --- | --- |\n| first start | 1 | 2 | 3 | 4 | 5 |\n"
					+ "| data store 1 KiB | a | b | c | d | e |\n| data restore 1 KiB | f | g | h | i | j |\n\n"
					+ "Medians with (min-max, n).");
	}

	@Test
	void detailsFollowTheTableNote() {
		this.report.details().append("\n### Idle\n");

		assertThat(this.report.text(TAKEN, 0, false, "Machine.", "1", "2"))
			.endsWith("\nMedians with (min-max, n). Ratios are SAM for Spring Boot / comparison; start, recovery and"
					+ " throughput ratios are paired per round, then the median is taken.\n\n### Idle\n");
	}

	@Test
	void detailRowComparesBothSidesInMilliseconds() {
		this.report.detailRow("warning -> SIGKILL", List.of(200.0, 198.0), List.of(200.4));

		assertThat(this.report.details())
			.hasToString("| warning -> SIGKILL | 199.0 ms (198.0-200.0, n=2) | 200.4 ms (200.4-200.4, n=1) |\n");
	}

	@Test
	void detailRowWithoutTheOtherSideLeavesItsColumnEmpty() {
		this.report.detailRow("own log", List.of(200.0), null);

		assertThat(this.report.details()).hasToString("| own log | 200.0 ms (200.0-200.0, n=1) |  |\n");
	}

	@Test
	void detailLineGivesMedianRangeAndEveryValue() {
		this.report.detailLine("supervised", Stats.of(List.of(28290.0, 22759.0, 25094.0)));

		assertThat(this.report.details())
			.hasToString("| supervised | 25094 (22759-28290, n=3) | 28290 22759 25094 |\n");
	}

}
