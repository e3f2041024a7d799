package io.samboot.bench;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Where an idle supervisor's CPU went, its memory, and the verdicts on them. */
class IdleSectionTests {

	/** A millisecond in nanoseconds, the unit of the threads' CPU time. */
	private static final long MS = 1_000_000;

	@Test
	void busiestThreadsComeFirstInPercentOfOneCore() {
		Map<String, Long> before = Map.of("java", 100 * MS, "C1 CompilerThre", 0L);
		Map<String, Long> after = Map.of("java", 170 * MS, "C1 CompilerThre", 90 * MS);

		assertThat(IdleSection.busiestThreads(before, after, 60)).isEqualTo("`C1 CompilerThre` 0.150, `java` 0.117");
	}

	@Test
	void threadsThatUsedNoCpuAreLeftOut() {
		Map<String, Long> before = Map.of("java", 70 * MS, "VM Thread", 10 * MS);
		Map<String, Long> after = Map.of("java", 70 * MS, "VM Thread", 20 * MS);

		assertThat(IdleSection.busiestThreads(before, after, 100)).isEqualTo("`VM Thread` 0.010");
	}

	@Test
	void aThreadStartedMeanwhileCountsAllItsTicks() {
		assertThat(IdleSection.busiestThreads(Map.of(), Map.of("sam-orphan-reap", 20 * MS), 100))
			.isEqualTo("`sam-orphan-reap` 0.020");
	}

	@Test
	void onlyTheSixBusiestAreNamed() {
		Map<String, Long> after = new TreeMap<>();
		for (long i = 1; i <= 8; i++) {
			after.put("t" + i, i * 10 * MS);
		}

		assertThat(IdleSection.busiestThreads(Map.of(), after, 100)).startsWith("`t8` ")
			.endsWith(", `t3` 0.030")
			.doesNotContain("`t2`");
	}

	@Test
	void noTicksAtAllAreNoneMeasurable() {
		assertThat(IdleSection.busiestThreads(Map.of("java", 3 * MS), Map.of("java", 3 * MS), 60))
			.isEqualTo("none measurable");
	}

	@Test
	void eachSecondIsTheCpuSinceTheReadingBefore() {
		IdleSection.CpuBySecond seconds = new IdleSection.CpuBySecond(-1);
		seconds.add(0, 5 * MS);
		seconds.add(1000 * MS, 6 * MS);
		seconds.add(2000 * MS, 8 * MS);

		assertThat(seconds.percents()).containsExactly(0.1, 0.2);
	}

	@Test
	void aSecondInWhichAThreadEndedIsLeftOutNotCountedBelowZero() {
		IdleSection.CpuBySecond seconds = new IdleSection.CpuBySecond(-1);
		seconds.add(0, 50 * MS);
		seconds.add(1000 * MS, 40 * MS);
		seconds.add(2000 * MS, 41 * MS);

		assertThat(seconds.percents()).containsExactly(0.1);
	}

	@Test
	void theCpuTimeOfALiveProcessIsExactAndGrowsWithWorkDone() {
		long pid = ProcessHandle.current().pid();
		long before = ProcFs.cpuNanos(pid);
		long until = System.nanoTime() + 20 * MS;
		while (System.nanoTime() - until < 0) {
			Thread.onSpinWait();
		}
		long after = ProcFs.cpuNanos(pid);

		assertThat(before).isPositive();
		assertThat(after - before).isGreaterThanOrEqualTo(15 * MS);
		// The kernel's own count of nanoseconds, not whole 10 ms ticks.
		assertThat(ProcFs.threadNanos(pid)).containsKey("VM Thread")
			.values()
			.anyMatch((nanos) -> nanos % (10 * MS) != 0);
		assertThat(ProcFs.cpuNanos(Long.MAX_VALUE)).isEqualTo(-1);
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
