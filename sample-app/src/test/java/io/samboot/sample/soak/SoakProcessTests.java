package io.samboot.sample.soak;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A short soak, part of every build: each kind of fault once, in random order, under
 * load, no violation allowed. The quorum fault runs where a private corosync daemon can
 * be started (corosync installed, root) and is reported as skipped, with the reason,
 * elsewhere; no kind may go unmet. The long run is the same with more faults:
 * {@code -Dsoak.faults=1000 -Dsoak.minutes=240}, with {@code -Dsoak.lanes} applications
 * side by side (see docs/RELIABILITY.md).
 */
@Tag("process")
class SoakProcessTests {

	@Test
	void noFaultBreaksAnythingTheSupervisorMustKeepTrue() throws Exception {
		// -Dsoak.kinds=quorum_loss,kill_instance: draw only from these kinds.
		List<Soak.Fault> kinds = Arrays.stream(System.getProperty("soak.kinds", "").split(","))
			.map(String::trim)
			.filter(kind -> !kind.isEmpty())
			.map(kind -> Soak.Fault.valueOf(kind.toUpperCase()))
			.collect(Collectors.toList());
		if (kinds.isEmpty()) {
			kinds = Arrays.asList(Soak.Fault.values());
		}
		int faults = Integer.getInteger("soak.faults", kinds.size());
		Duration budget = Duration.ofMinutes(Long.getLong("soak.minutes", 10));
		long seed = Long.getLong("soak.seed", System.nanoTime());
		// -Dsoak.standby=true: with a hot standby, which each fault waits for.
		boolean standby = Boolean.getBoolean("soak.standby");
		// -Dsoak.lanes=3: three applications side by side, each with its share of faults.
		int lanes = Integer.getInteger("soak.lanes", 1);
		System.out.println("soak: " + faults + " faults of " + kinds + ", at most " + budget.toMinutes()
				+ " minutes, seed " + seed + ", " + lanes + " lane(s)" + (standby ? ", hot standby" : ""));
		Soak.Report report = Soak.inLanes(lanes, seed, faults, budget, System.out, kinds, standby);
		assertThat(report.violations()).as(report.table()).isEmpty();
		if (faults >= kinds.size()) {
			assertThat(report.unmet())
				.as("kinds of fault neither injected nor skipped (out of time?)\n" + report.table())
				.isEmpty();
		}
	}

}
