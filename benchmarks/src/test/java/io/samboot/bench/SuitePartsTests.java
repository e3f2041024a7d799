package io.samboot.bench;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The suite's small parts that need no other process. */
class SuitePartsTests {

	@Test
	void readsThisProcessFromProc() {
		long pid = ProcessHandle.current().pid();
		assertThat(ProcFs.rssKb(pid)).isPositive();
		assertThat(ProcFs.cpuTicks(pid)).isNotNegative();
		assertThat(ProcFs.threads(pid)).isPositive();
		assertThat(ProcFs.state(pid)).isIn('R', 'S');
		assertThat(ProcFs.status(pid).state()).isIn('R', 'S');
		assertThat(ProcFs.state(Integer.MAX_VALUE)).isEqualTo((char) 0);
	}

	@Test
	void sharedSlotsRoundTrip(@TempDir Path directory) throws Exception {
		Path file = directory.resolve("slots");
		SharedSlots writer = SharedSlots.map(file, true);
		SharedSlots reader = SharedSlots.map(file, false);
		writer.set(SharedSlots.LAST_CHECK, 1234567890123L);
		assertThat(reader.get(SharedSlots.LAST_CHECK)).isEqualTo(1234567890123L);
		assertThat(reader.get(SharedSlots.STOP)).isZero();
	}

	@Test
	void theOwnShareTargetsMedianAndWorstAreDecidedApart() {
		Interval low = Interval.ofMedian(List.of(0.4, 0.5, 0.6, 0.5, 0.45, 0.55));
		Interval straddling = Interval.ofMedian(List.of(0.4, 1.6, 0.7, 1.3, 0.9, 1.1, 0.6, 1.4));

		assertThat(Suite.ownShareVerdict(low, 1.9)).isEqualTo("median met, worst met");
		assertThat(Suite.ownShareVerdict(low, 3.2)).isEqualTo("median met, worst **missed**");
		assertThat(Suite.ownShareVerdict(straddling, 1.6)).isEqualTo("median undecided, worst met");
	}

	@Test
	void statsGiveMedianAndRange() {
		Stats stats = Stats.of(List.of(3.0, 1.0, 2.0, 10.0));
		assertThat(stats.median()).isEqualTo(2.5);
		assertThat(stats.min()).isEqualTo(1.0);
		assertThat(stats.max()).isEqualTo(10.0);
		assertThat(Stats.of(List.of()).format("ms")).isEqualTo("n/a");
	}

}
