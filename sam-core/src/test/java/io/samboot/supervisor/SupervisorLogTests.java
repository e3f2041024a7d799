package io.samboot.supervisor;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The supervisor's log lines. */
class SupervisorLogTests {

    @Test
    void aLineCarriesTheLevelThePidAndTheSupervisorsMark() {
        CapturedLog captured = new CapturedLog();

        captured.log.warn("something");

        assertThat(captured.lines()).containsExactly("WARN something");
    }

    @Test
    void wholeSecondsAreWrittenInSecondsAndTheRestInMilliseconds() {
        assertThat(SupervisorLog.describe(Duration.ofSeconds(4))).isEqualTo("4s");
        assertThat(SupervisorLog.describe(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(SupervisorLog.describe(Duration.ofMillis(4250))).isEqualTo("4250ms");
    }

    @Test
    void zeroIsWrittenAsNone() {
        assertThat(SupervisorLog.describe(Duration.ZERO)).isEqualTo("0s (none)");
    }
}
