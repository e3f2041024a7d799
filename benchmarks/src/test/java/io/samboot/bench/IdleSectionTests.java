package io.samboot.bench;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Where an idle supervisor's CPU went, its memory, and the verdicts on them. */
class IdleSectionTests {

	@Test
	void busiestThreadsComeFirstInPercentOfOneCore() {
		Map<String, Long> before = Map.of("java", 10L, "C1 CompilerThre", 0L);
		Map<String, Long> after = Map.of("java", 17L, "C1 CompilerThre", 9L);

		assertThat(IdleSection.busiestThreads(before, after, 60)).isEqualTo("`C1 CompilerThre` 0.150, `java` 0.117");
	}

	@Test
	void threadsThatUsedNoCpuAreLeftOut() {
		Map<String, Long> before = Map.of("java", 7L, "VM Thread", 1L);
		Map<String, Long> after = Map.of("java", 7L, "VM Thread", 2L);

		assertThat(IdleSection.busiestThreads(before, after, 100)).isEqualTo("`VM Thread` 0.010");
	}

	@Test
	void aThreadStartedMeanwhileCountsAllItsTicks() {
		assertThat(IdleSection.busiestThreads(Map.of(), Map.of("sam-orphan-reap", 2L), 100))
			.isEqualTo("`sam-orphan-reap` 0.020");
	}

	@Test
	void onlyTheSixBusiestAreNamed() {
		Map<String, Long> after = new TreeMap<>();
		for (long i = 1; i <= 8; i++) {
			after.put("t" + i, i);
		}

		assertThat(IdleSection.busiestThreads(Map.of(), after, 100)).startsWith("`t8` ")
			.endsWith(", `t3` 0.030")
			.doesNotContain("`t2`");
	}

	@Test
	void noTicksAtAllAreNoneMeasurable() {
		assertThat(IdleSection.busiestThreads(Map.of("java", 3L), Map.of("java", 3L), 60)).isEqualTo("none measurable");
	}

	@Test
	void aSampledFigureMeetsAnAtMostTargetOnlyWhenEverySampleDoes() {
		assertThat(IdleSection.rangeVerdict(Stats.of(List.of(38.0, 39.5, 40.0)), 40)).isEqualTo("met");
		assertThat(IdleSection.rangeVerdict(Stats.of(List.of(39.0, 41.0)), 40)).isEqualTo("undecided");
		assertThat(IdleSection.rangeVerdict(Stats.of(List.of(49.0, 50.0)), 40)).isEqualTo("**missed**");
		assertThat(IdleSection.rangeVerdict(Stats.of(List.of()), 40)).isEqualTo("n/a");
	}

	@Test
	void memoryOfALiveProcessHasItsUniquePartWithinItsProportionalPartWithinItsResidentWhole() {
		ProcFs.Memory memory = ProcFs.memory(ProcessHandle.current().pid());

		assertThat(memory.rssKb()).isPositive();
		assertThat(memory.pssKb()).isPositive().isLessThanOrEqualTo(memory.rssKb());
		assertThat(memory.ussKb()).isPositive().isLessThanOrEqualTo(memory.pssKb());
		assertThat(ProcFs.memory(Long.MAX_VALUE).rssKb()).isEqualTo(-1);
	}

}
