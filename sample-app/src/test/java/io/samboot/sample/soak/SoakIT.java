package io.samboot.sample.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/**
 * A short soak, part of every build: each kind of fault once, in random order, under load, no violation allowed. The
 * long run is the same with more faults: {@code -Dsoak.faults=1000 -Dsoak.minutes=240} (see
 * docs/RELIABILITY.md).
 */
class SoakIT {

    @Test
    void noFaultBreaksAnythingTheSupervisorMustKeepTrue() throws Exception {
        int faults = Integer.getInteger("soak.faults", Soak.Fault.values().length);
        Duration budget = Duration.ofMinutes(Long.getLong("soak.minutes", 6));
        long seed = Long.getLong("soak.seed", System.nanoTime());
        System.out.println("soak: " + faults + " faults, at most " + budget.toMinutes() + " minutes, seed " + seed);
        Soak.Report report = new Soak(seed, faults, budget, System.out).run();
        assertThat(report.violations()).as(report.table()).isEmpty();
    }
}
