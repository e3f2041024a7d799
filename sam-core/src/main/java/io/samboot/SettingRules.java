package io.samboot;

import java.time.Duration;

import io.samboot.SamSettings.InvalidSettingException;

/**
 * The rules {@link SamSettings.Builder#build()} applies, one method per rule with its
 * error text, and the order in which users meet the errors. Each rule throws
 * {@link InvalidSettingException} with the property name a user writes in
 * {@code application.yml} (without {@code sam.}), the value and a fix.
 */
final class SettingRules {

	private SettingRules() {
	}

	/**
	 * Applies every rule to the builder's values, in order.
	 * @throws InvalidSettingException for the first value that breaks one
	 */
	static void check(SamSettings.Builder values) {
		require("time-interval", values.timeInterval);
		require("recovery-policy", values.recoveryPolicy);
		require("warn-signal", values.warnSignal);
		require("health-check.mode", values.healthCheckMode);
		timeInterval(values.timeInterval);
		warnSignal(values.warnSignal);
		killDelay(values.killDelay, values.warnSignal, values.timeInterval);
		healthCheckTimeout(values.healthCheckTimeout, values.timeInterval);
		duration("startup-timeout", values.startupTimeout);
		duration("shutdown-timeout", values.shutdownTimeout);
		duration("restart.delay", values.restartDelay);
		if (values.restartMaxDelay != null) {
			duration("restart.max-delay", values.restartMaxDelay);
		}
		duration("restart.window", values.restartWindow);
		duration("health-check.pause-grace", values.pauseGrace);
		restartWindow(values.restartWindow);
		restartMaxDelay(values.restartMaxDelay, values.restartDelay);
		restartMultiplier(values.restartMultiplier);
		maxRestarts(values.maxRestarts);
		immediateRestarts(values.immediateRestarts);
		dataStoreMaxSize(values.dataStoreMaxSize);
		if (values.httpCheckUrl != null) {
			LoopbackHttpUrl.check("health-check.http.url", values.httpCheckUrl);
		}
	}

	/** The property has a value. */
	static void require(String property, Object value) {
		if (value == null) {
			throw new InvalidSettingException(property, "null", "give it a value");
		}
	}

	/** Given, zero or positive, and at most {@link SamSettings#MAX_DURATION}. */
	static void duration(String property, Duration value) {
		require(property, value);
		if (value.isNegative()) {
			throw new InvalidSettingException(property, value.toString(), "use zero or a positive duration");
		}
		if (value.compareTo(SamSettings.MAX_DURATION) > 0) {
			throw new InvalidSettingException(property, value.toString(),
					"SAM's deadlines stay within a year; use at most 365d");
		}
	}

	/**
	 * {@code time-interval}: a duration, zero for none or at least
	 * {@link SamSettings#MIN_TIME_INTERVAL}.
	 */
	static void timeInterval(Duration timeInterval) {
		duration("time-interval", timeInterval);
		if (!timeInterval.isZero() && timeInterval.compareTo(SamSettings.MIN_TIME_INTERVAL) < 0) {
			throw new InvalidSettingException("time-interval", timeInterval.toString(),
					"SAM counts the time interval in milliseconds; use 0 for none or at least 1ms");
		}
	}

	/** {@code warn-signal}: a signal the application can act on, or KILL. */
	static void warnSignal(PosixSignal warnSignal) {
		if (!warnSignal.isWarningSignal()) {
			throw new InvalidSettingException("warn-signal", warnSignal.signalName(),
					"use TERM, INT, HUP, USR1, or KILL for no warning");
		}
	}

	/**
	 * {@code kill-delay}, when set ({@code null} follows the time interval): a duration,
	 * and not zero while the warning gives the application time to act.
	 */
	static void killDelay(Duration killDelay, PosixSignal warnSignal, Duration timeInterval) {
		if (killDelay == null) {
			return;
		}
		duration("kill-delay", killDelay);
		if (killDelay.isZero() && warnSignal != PosixSignal.KILL && !timeInterval.isZero()) {
			throw new InvalidSettingException("kill-delay", "0",
					"a zero kill delay gives the application no time to act on SIG" + warnSignal.name()
							+ "; give it time (e.g. 5s) or set warn-signal to KILL for no warning");
		}
	}

	/**
	 * {@code health-check.timeout}, when set ({@code null} is half of the time interval):
	 * a duration, within a non-zero time interval and then not zero itself.
	 */
	static void healthCheckTimeout(Duration healthCheckTimeout, Duration timeInterval) {
		if (healthCheckTimeout == null) {
			return;
		}
		duration("health-check.timeout", healthCheckTimeout);
		if (!timeInterval.isZero() && healthCheckTimeout.compareTo(timeInterval) > 0) {
			throw new InvalidSettingException("health-check.timeout", healthCheckTimeout.toString(),
					"a check may not run longer than the time interval (" + DurationFormat.format(timeInterval)
							+ "); lower it or raise time-interval");
		}
		if (!timeInterval.isZero() && healthCheckTimeout.isZero()) {
			throw new InvalidSettingException("health-check.timeout", "0",
					"a zero timeout fails every check before it can answer; give checks time (e.g. 2s), or"
							+ " leave it unset for half of the time interval");
		}
	}

	/**
	 * {@code restart.window}, already checked as a duration: not zero, for restarts are
	 * counted within it.
	 */
	static void restartWindow(Duration restartWindow) {
		if (restartWindow.isZero()) {
			throw new InvalidSettingException("restart.window", "0",
					"restarts are counted and the delay grows within this window, and a zero window holds none;"
							+ " use a positive duration (e.g. 60s)");
		}
	}

	/**
	 * {@code restart.max-delay}, both already checked as durations: zero for no maximum,
	 * or at least the delay.
	 */
	static void restartMaxDelay(Duration restartMaxDelay, Duration restartDelay) {
		if (restartMaxDelay != null && !restartMaxDelay.isZero() && restartMaxDelay.compareTo(restartDelay) < 0) {
			throw new InvalidSettingException("restart.max-delay", restartMaxDelay.toString(),
					"the maximum is below restart.delay (" + DurationFormat.format(restartDelay)
							+ ") and would shorten it; use at least restart.delay, or 0 for no maximum");
		}
	}

	/** {@code restart.multiplier}: finite and at least 1.0. */
	static void restartMultiplier(double restartMultiplier) {
		if (!(restartMultiplier >= 1.0) || Double.isInfinite(restartMultiplier)) {
			throw new InvalidSettingException("restart.multiplier", Double.toString(restartMultiplier),
					"use a finite number of at least 1.0 (1.0 keeps the delay constant)");
		}
	}

	/** {@code restart.max-restarts}: zero for unlimited, or a positive count. */
	static void maxRestarts(int maxRestarts) {
		if (maxRestarts < 0) {
			throw new InvalidSettingException("restart.max-restarts", Integer.toString(maxRestarts),
					"use 0 for unlimited or a positive count");
		}
	}

	/** {@code restart.immediate-restarts}: zero or a positive count. */
	static void immediateRestarts(int immediateRestarts) {
		if (immediateRestarts < 0) {
			throw new InvalidSettingException("restart.immediate-restarts", Integer.toString(immediateRestarts),
					"use 0 for a delay before every restart, or the number of failures in a row restarted at once");
		}
	}

	/**
	 * {@code data-store.max-size}: from zero to {@link SamSettings#MAX_DATA_STORE_SIZE}.
	 */
	static void dataStoreMaxSize(long dataStoreMaxSize) {
		if (dataStoreMaxSize < 0 || dataStoreMaxSize > SamSettings.MAX_DATA_STORE_SIZE) {
			throw new InvalidSettingException("data-store.max-size", Long.toString(dataStoreMaxSize),
					"use a size from 0 to 512MB");
		}
	}

}
