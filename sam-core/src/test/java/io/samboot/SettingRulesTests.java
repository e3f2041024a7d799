package io.samboot;

import java.time.Duration;

import io.samboot.SamSettings.InvalidSettingException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Each rule of {@link SettingRules} with its exact error text, and the order in which
 * {@link SettingRules#check(SamSettings.Builder)} applies them.
 */
class SettingRulesTests {

	private static final Duration TEN_SECONDS = Duration.ofSeconds(10);

	@Test
	void aMissingValueIsRefused() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> SettingRules.require("recovery-policy", null))
			.withMessage("sam.recovery-policy = null is invalid: give it a value");
	}

	@Test
	void aMissingDurationIsRefusedAsMissing() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> SettingRules.duration("startup-timeout", null))
			.withMessage("sam.startup-timeout = null is invalid: give it a value");
	}

	@Test
	void aNegativeDurationIsRefused() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> SettingRules.duration("restart.delay", Duration.ofMillis(-1)))
			.withMessage("sam.restart.delay = PT-0.001S is invalid: use zero or a positive duration");
	}

	@Test
	void aDurationLongerThanAYearIsRefused() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> SettingRules.duration("shutdown-timeout", SamSettings.MAX_DURATION.plusNanos(1)))
			.withMessage("sam.shutdown-timeout = PT8760H0.000000001S is invalid: SAM's deadlines stay within a year;"
					+ " use at most 365d");
	}

	@Test
	void zeroAndAYearAreDurations() {
		assertThatNoException().isThrownBy(() -> SettingRules.duration("restart.delay", Duration.ZERO));
		assertThatNoException().isThrownBy(() -> SettingRules.duration("restart.delay", SamSettings.MAX_DURATION));
	}

	@Test
	void aTimeIntervalBelowAMillisecondIsRefused() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> SettingRules.timeInterval(Duration.ofNanos(999_999)))
			.withMessage("sam.time-interval = PT0.000999999S is invalid: SAM counts the time interval in milliseconds;"
					+ " use 0 for none or at least 1ms");
	}

	@Test
	void aTimeIntervalOfZeroOrAMillisecondIsAccepted() {
		assertThatNoException().isThrownBy(() -> SettingRules.timeInterval(Duration.ZERO));
		assertThatNoException().isThrownBy(() -> SettingRules.timeInterval(SamSettings.MIN_TIME_INTERVAL));
	}

	@Test
	void aNegativeTimeIntervalIsRefusedAsADuration() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> SettingRules.timeInterval(Duration.ofSeconds(-1)))
			.withMessage("sam.time-interval = PT-1S is invalid: use zero or a positive duration");
	}

	@Test
	void aSignalThatCannotWarnIsRefusedAsTheWarningSignal() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> SettingRules.warnSignal(PosixSignal.USR2))
			.withMessage("sam.warn-signal = SIGUSR2 is invalid: use TERM, INT, HUP, USR1, or KILL for no warning");
	}

	@Test
	void killIsAWarningSignal() {
		assertThatNoException().isThrownBy(() -> SettingRules.warnSignal(PosixSignal.KILL));
	}

	@Test
	void anUnsetKillDelayIsNotChecked() {
		assertThatNoException().isThrownBy(() -> SettingRules.killDelay(null, PosixSignal.TERM, TEN_SECONDS));
	}

	@Test
	void aNegativeKillDelayIsRefusedAsADuration() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> SettingRules.killDelay(Duration.ofSeconds(-1), PosixSignal.TERM, TEN_SECONDS))
			.withMessage("sam.kill-delay = PT-1S is invalid: use zero or a positive duration");
	}

	@Test
	void aZeroKillDelayIsRefusedWhileTheWarningShouldGiveTime() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> SettingRules.killDelay(Duration.ZERO, PosixSignal.HUP, TEN_SECONDS))
			.withMessage("sam.kill-delay = 0 is invalid: a zero kill delay gives the application no time to act on"
					+ " SIGHUP; give it time (e.g. 5s) or set warn-signal to KILL for no warning");
	}

	@Test
	void aZeroKillDelayIsAcceptedWhenTheWarningIsKill() {
		assertThatNoException().isThrownBy(() -> SettingRules.killDelay(Duration.ZERO, PosixSignal.KILL, TEN_SECONDS));
	}

	@Test
	void aZeroKillDelayIsAcceptedWithoutATimeInterval() {
		assertThatNoException()
			.isThrownBy(() -> SettingRules.killDelay(Duration.ZERO, PosixSignal.TERM, Duration.ZERO));
	}

	@Test
	void anUnsetHealthCheckTimeoutIsNotChecked() {
		assertThatNoException().isThrownBy(() -> SettingRules.healthCheckTimeout(null, TEN_SECONDS));
	}

	@Test
	void aHealthCheckTimeoutLongerThanTheIntervalIsRefusedNamingTheIntervalAsWritten() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> SettingRules.healthCheckTimeout(Duration.ofMillis(10_001), TEN_SECONDS))
			.withMessage("sam.health-check.timeout = PT10.001S is invalid: a check may not run longer than the time"
					+ " interval (10s); lower it or raise time-interval");
	}

	@Test
	void aHealthCheckTimeoutAsLongAsTheIntervalIsAccepted() {
		assertThatNoException().isThrownBy(() -> SettingRules.healthCheckTimeout(TEN_SECONDS, TEN_SECONDS));
	}

	@Test
	void aZeroHealthCheckTimeoutIsRefusedWhileChecksAreTimed() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> SettingRules.healthCheckTimeout(Duration.ZERO, TEN_SECONDS))
			.withMessage("sam.health-check.timeout = 0 is invalid: a zero timeout fails every check before it can"
					+ " answer; give checks time (e.g. 2s), or leave it unset for half of the time interval");
	}

	@Test
	void anyHealthCheckTimeoutUpToAYearIsAcceptedWithoutATimeInterval() {
		assertThatNoException().isThrownBy(() -> SettingRules.healthCheckTimeout(Duration.ZERO, Duration.ZERO));
		assertThatNoException()
			.isThrownBy(() -> SettingRules.healthCheckTimeout(SamSettings.MAX_DURATION, Duration.ZERO));
	}

	@Test
	void aZeroRestartWindowIsRefused() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> SettingRules.restartWindow(Duration.ZERO))
			.withMessage("sam.restart.window = 0 is invalid: restarts are counted and the delay grows within this"
					+ " window, and a zero window holds none; use a positive duration (e.g. 60s)");
	}

	@Test
	void aMaximumDelayBelowTheDelayIsRefusedNamingTheDelayAsWritten() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> SettingRules.restartMaxDelay(Duration.ofSeconds(1), Duration.ofMillis(1500)))
			.withMessage("sam.restart.max-delay = PT1S is invalid: the maximum is below restart.delay (1500ms) and"
					+ " would shorten it; use at least restart.delay, or 0 for no maximum");
	}

	@Test
	void aZeroMaximumDelayMeansNoMaximum() {
		assertThatNoException().isThrownBy(() -> SettingRules.restartMaxDelay(Duration.ZERO, TEN_SECONDS));
	}

	@Test
	void aMultiplierBelowOneIsRefused() {
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> SettingRules.restartMultiplier(0.5))
			.withMessage("sam.restart.multiplier = 0.5 is invalid: use a finite number of at least 1.0"
					+ " (1.0 keeps the delay constant)");
	}

	@Test
	void aMultiplierThatIsNotANumberIsRefused() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> SettingRules.restartMultiplier(Double.NaN))
			.withMessageStartingWith("sam.restart.multiplier = NaN is invalid: ");
	}

	@Test
	void anInfiniteMultiplierIsRefused() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> SettingRules.restartMultiplier(Double.POSITIVE_INFINITY))
			.withMessageStartingWith("sam.restart.multiplier = Infinity is invalid: ");
	}

	@Test
	void aMultiplierOfOneKeepsTheDelayAndIsAccepted() {
		assertThatNoException().isThrownBy(() -> SettingRules.restartMultiplier(1.0));
	}

	@Test
	void aNegativeRestartCountIsRefused() {
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> SettingRules.maxRestarts(-1))
			.withMessage("sam.restart.max-restarts = -1 is invalid: use 0 for unlimited or a positive count");
	}

	@Test
	void aDataStoreSizeAboveTheFrameLimitIsRefused() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> SettingRules.dataStoreMaxSize(SamSettings.MAX_DATA_STORE_SIZE + 1))
			.withMessage("sam.data-store.max-size = 536870913 is invalid: use a size from 0 to 512MB");
	}

	@Test
	void aNegativeDataStoreSizeIsRefused() {
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> SettingRules.dataStoreMaxSize(-1))
			.withMessage("sam.data-store.max-size = -1 is invalid: use a size from 0 to 512MB");
	}

	@Test
	void theDefaultsPassEveryRule() {
		assertThatNoException().isThrownBy(() -> SettingRules.check(SamSettings.builder()));
	}

	@Test
	void missingValuesAreReportedBeforeAnyOtherProblem() {
		SamSettings.Builder values = SamSettings.builder().restartMultiplier(0.5).recoveryPolicy(null);

		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> SettingRules.check(values))
			.withMessage("sam.recovery-policy = null is invalid: give it a value");
	}

	@Test
	void theTimeIntervalIsReportedBeforeTheRestOfTheRequiredValues() {
		SamSettings.Builder values = SamSettings.builder().healthCheckMode(null).timeInterval(null);

		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> SettingRules.check(values))
			.withMessage("sam.time-interval = null is invalid: give it a value");
	}

	@Test
	void everyDurationIsCheckedBeforeTheRestartWindowMayBeZero() {
		SamSettings.Builder values = SamSettings.builder()
			.restartWindow(Duration.ZERO)
			.pauseGrace(Duration.ofSeconds(-1));

		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> SettingRules.check(values))
			.withMessageStartingWith("sam.health-check.pause-grace = PT-1S is invalid: ");
	}

	@Test
	void theRestartCountIsCheckedBeforeTheDataStoreSize() {
		SamSettings.Builder values = SamSettings.builder().dataStoreMaxSize(-1).maxRestarts(-1);

		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> SettingRules.check(values))
			.withMessageStartingWith("sam.restart.max-restarts = -1 is invalid: ");
	}

}
