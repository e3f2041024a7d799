package io.samboot.bench;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The micro-benchmarks' result lines and their median over runs. */
class MicroResultsTests {

	private static final String HC_SEND = "RESULT java hcSend n=79616 p50=1.49 p90=3.14 p99=14.66 mean=9.03 min=0.5 max=14270";

	@Test
	void aResultLineGivesCountPercentilesMeanMinAndMax() {
		assertThat(MicroResults.values(HC_SEND)).containsExactly(79616, 1.49, 3.14, 14.66, 9.03, 0.5, 14270);
	}

	@Test
	void anotherLineIsNoResult() {
		assertThat(MicroResults.values("# Run complete. Total time: 00:00:10")).isNull();
	}

	@Test
	void resultsAreKeptByNameInTheirOrder() {
		Map<String, double[]> results = MicroResults.parse(List.of(HC_SEND, "noise",
				"RESULT java dataStore.1024 n=3 p50=36.8 p90=49.28 p99=70.91 mean=37.64 min=30 max=4620"));

		assertThat(results).containsOnlyKeys("hcSend", "dataStore.1024");
		assertThat(results.keySet()).containsExactly("hcSend", "dataStore.1024");
		assertThat(results.get("dataStore.1024")[1]).isEqualTo(36.8);
	}

	@Test
	void medianOfRunsIsTakenPerStatistic() {
		Map<String, double[]> median = MicroResults
			.medianOfRuns(List.of(Map.of("hcSend", new double[] { 1, 5, 0, 0, 0, 0, 9 }),
					Map.of("hcSend", new double[] { 3, 1, 0, 0, 0, 0, 7 }),
					Map.of("hcSend", new double[] { 2, 3, 0, 0, 0, 0, 8 })));

		assertThat(median.get("hcSend")).containsExactly(2, 3, 0, 0, 0, 0, 8);
	}

	@Test
	void medianOfRunsSkipsRunsWithoutTheCall() {
		Map<String, double[]> median = MicroResults
			.medianOfRuns(List.of(Map.of("hcSend", new double[] { 1, 1, 1, 1, 1, 1, 1 }), Map.of(),
					Map.of("hcSend", new double[] { 3, 3, 3, 3, 3, 3, 3 })));

		assertThat(median.get("hcSend")).containsExactly(2, 2, 2, 2, 2, 2, 2);
	}

	@Test
	void medianOfNoRunIsEmpty() {
		assertThat(MicroResults.medianOfRuns(List.of())).isEmpty();
	}

}
