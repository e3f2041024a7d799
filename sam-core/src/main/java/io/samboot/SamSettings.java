package io.samboot;

import java.math.BigInteger;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything the supervisor needs to know to supervise an instance. The instance sends it
 * when it registers, because only the instance can read the application's configuration;
 * the supervisor holds no settings of its own until then (before {@code start()} it
 * enforces no limits anyway).
 *
 * <p>
 * Immutable; build with {@link #builder()} or change one value with the {@code with}
 * methods. Validation happens in {@link Builder#build()}: every problem is reported with
 * the property name a user would write in {@code application.yml}.
 */
public final class SamSettings {

	/** Largest data store size that fits in one frame of the control channel. */
	public static final long MAX_DATA_STORE_SIZE = 512L * 1024 * 1024;

	/**
	 * Longest duration any setting may have. The supervisor computes deadlines in
	 * nanoseconds of {@link System#nanoTime()}, which holds about 292 years and compares
	 * safely only across half of that; a year keeps every sum of deadlines far inside it
	 * and is longer than any sensible limit.
	 */
	public static final Duration MAX_DURATION = Duration.ofDays(365);

	/**
	 * Shortest non-zero time interval: SAM counts it in milliseconds (corosync's unit,
	 * the endpoint's).
	 */
	public static final Duration MIN_TIME_INTERVAL = Duration.ofMillis(1);

	private final boolean enabled;

	private final Duration timeInterval;

	private final RecoveryPolicy recoveryPolicy;

	private final PosixSignal warnSignal;

	private final Duration killDelay;

	private final HealthCheckMode healthCheckMode;

	private final Duration healthCheckTimeout;

	private final Duration startupTimeout;

	private final Duration shutdownTimeout;

	private final Duration restartDelay;

	private final Duration restartMaxDelay;

	private final double restartMultiplier;

	private final int maxRestarts;

	private final Duration restartWindow;

	private final long dataStoreMaxSize;

	private final boolean quorum;

	private final boolean cmap;

	private final boolean threadDump;

	private final Duration pauseGrace;

	private SamSettings(Builder b) {
		this.enabled = b.enabled;
		this.timeInterval = b.timeInterval;
		this.recoveryPolicy = b.recoveryPolicy;
		this.warnSignal = b.warnSignal;
		this.killDelay = (b.killDelay != null) ? b.killDelay : b.timeInterval;
		this.healthCheckMode = b.healthCheckMode;
		this.healthCheckTimeout = (b.healthCheckTimeout != null) ? b.healthCheckTimeout : b.timeInterval.dividedBy(2);
		this.startupTimeout = b.startupTimeout;
		this.shutdownTimeout = b.shutdownTimeout;
		this.restartDelay = b.restartDelay;
		this.restartMaxDelay = b.restartMaxDelay;
		this.restartMultiplier = b.restartMultiplier;
		this.maxRestarts = b.maxRestarts;
		this.restartWindow = b.restartWindow;
		this.dataStoreMaxSize = b.dataStoreMaxSize;
		this.quorum = b.quorum;
		this.cmap = b.cmap;
		this.threadDump = b.threadDump;
		this.pauseGrace = b.pauseGrace;
	}

	/** The defaults of docs/CONTRACT.md. */
	public static SamSettings defaults() {
		return builder().build();
	}

	public static Builder builder() {
		return new Builder();
	}

	public Builder toBuilder() {
		Builder b = new Builder();
		b.enabled = this.enabled;
		b.timeInterval = this.timeInterval;
		b.recoveryPolicy = this.recoveryPolicy;
		b.warnSignal = this.warnSignal;
		b.killDelay = this.killDelay;
		b.healthCheckMode = this.healthCheckMode;
		b.healthCheckTimeout = this.healthCheckTimeout;
		b.startupTimeout = this.startupTimeout;
		b.shutdownTimeout = this.shutdownTimeout;
		b.restartDelay = this.restartDelay;
		b.restartMaxDelay = this.restartMaxDelay;
		b.restartMultiplier = this.restartMultiplier;
		b.maxRestarts = this.maxRestarts;
		b.restartWindow = this.restartWindow;
		b.dataStoreMaxSize = this.dataStoreMaxSize;
		b.quorum = this.quorum;
		b.cmap = this.cmap;
		b.threadDump = this.threadDump;
		b.pauseGrace = this.pauseGrace;
		return b;
	}

	/**
	 * {@code sam.enabled}: whether the supervisor supervises, or only passes signals and
	 * the exit status through.
	 */
	public boolean enabled() {
		return this.enabled;
	}

	/** {@code sam.time-interval}: the health-check time limit, zero for none. */
	public Duration timeInterval() {
		return this.timeInterval;
	}

	public RecoveryPolicy recoveryPolicy() {
		return this.recoveryPolicy;
	}

	public PosixSignal warnSignal() {
		return this.warnSignal;
	}

	/** How long after the warning signal SIGKILL follows. */
	public Duration killDelay() {
		return this.killDelay;
	}

	public HealthCheckMode healthCheckMode() {
		return this.healthCheckMode;
	}

	/**
	 * How long one event-driven check may run in the instance before it counts as timed
	 * out.
	 */
	public Duration healthCheckTimeout() {
		return this.healthCheckTimeout;
	}

	/**
	 * Time for an instance to call {@code start()} before the recovery action, zero for
	 * none.
	 */
	public Duration startupTimeout() {
		return this.startupTimeout;
	}

	/**
	 * On SIGTERM/SIGINT/SIGHUP to the supervisor: time for the instance to stop before
	 * SIGKILL.
	 */
	public Duration shutdownTimeout() {
		return this.shutdownTimeout;
	}

	public Duration restartDelay() {
		return this.restartDelay;
	}

	public Duration restartMaxDelay() {
		return this.restartMaxDelay;
	}

	public double restartMultiplier() {
		return this.restartMultiplier;
	}

	/** Restarts allowed within {@link #restartWindow()}, zero for unlimited. */
	public int maxRestarts() {
		return this.maxRestarts;
	}

	public Duration restartWindow() {
		return this.restartWindow;
	}

	public long dataStoreMaxSize() {
		return this.dataStoreMaxSize;
	}

	/**
	 * Whether data may be stored under {@link #dataStoreMaxSize()}: the one size rule,
	 * applied by the instance before it sends and by the supervisor again when it keeps.
	 * {@code null} or empty data removes what is stored, and always fits.
	 */
	public boolean dataStoreFits(byte[] data) {
		return data == null || data.length <= this.dataStoreMaxSize;
	}

	public boolean quorum() {
		return this.quorum;
	}

	public boolean cmap() {
		return this.cmap;
	}

	public boolean threadDump() {
		return this.threadDump;
	}

	public Duration pauseGrace() {
		return this.pauseGrace;
	}

	/**
	 * How often the supervisor asks for an event-driven check: a quarter of the interval,
	 * as corosync heartbeats.
	 */
	public Duration healthCheckRequestPeriod() {
		Duration quarter = this.timeInterval.dividedBy(4);
		return quarter.isZero() ? Duration.ofMillis(1) : quarter;
	}

	public SamSettings withTimeInterval(Duration value) {
		Builder b = toBuilder().timeInterval(value);
		// Keep derived defaults derived unless they were set apart from the interval.
		if (this.killDelay.equals(this.timeInterval)) {
			b.killDelay(null);
		}
		if (this.healthCheckTimeout.equals(this.timeInterval.dividedBy(2))) {
			b.healthCheckTimeout(null);
		}
		return b.build();
	}

	public SamSettings withWarnSignal(PosixSignal value) {
		return toBuilder().warnSignal(value).build();
	}

	public SamSettings withRecoveryPolicy(RecoveryPolicy value) {
		return toBuilder().recoveryPolicy(value).build();
	}

	/** The settings as text, to travel on the control channel. */
	public Map<String, String> toMap() {
		Map<String, String> map = new LinkedHashMap<>();
		map.put("enabled", Boolean.toString(this.enabled));
		map.put("time-interval", this.timeInterval.toString());
		map.put("recovery-policy", this.recoveryPolicy.id());
		map.put("warn-signal", this.warnSignal.name());
		map.put("kill-delay", this.killDelay.toString());
		map.put("health-check.mode", this.healthCheckMode.id());
		map.put("health-check.timeout", this.healthCheckTimeout.toString());
		map.put("startup-timeout", this.startupTimeout.toString());
		map.put("shutdown-timeout", this.shutdownTimeout.toString());
		map.put("restart.delay", this.restartDelay.toString());
		map.put("restart.max-delay", this.restartMaxDelay.toString());
		map.put("restart.multiplier", Double.toString(this.restartMultiplier));
		map.put("restart.max-restarts", Integer.toString(this.maxRestarts));
		map.put("restart.window", this.restartWindow.toString());
		map.put("data-store.max-size", Long.toString(this.dataStoreMaxSize));
		map.put("quorum.enabled", Boolean.toString(this.quorum));
		map.put("cmap.enabled", Boolean.toString(this.cmap));
		map.put("diagnostics.thread-dump", Boolean.toString(this.threadDump));
		map.put("health-check.pause-grace", this.pauseGrace.toString());
		return map;
	}

	/**
	 * Settings from {@link #toMap()}; keys this version does not know are ignored,
	 * missing ones take their defaults.
	 * @throws IllegalArgumentException for a value that does not parse or is out of range
	 */
	public static SamSettings fromMap(Map<String, String> map) {
		Builder b = builder();
		map.forEach((key, value) -> {
			try {
				apply(b, key, value);
			}
			catch (InvalidSettingException ex) {
				throw ex;
			}
			catch (RuntimeException ex) {
				throw new InvalidSettingException(key, value, "it does not parse (" + ex.getMessage() + ")");
			}
		});
		return b.build();
	}

	private static void apply(Builder b, String key, String value) {
		switch (key) {
			case "enabled" -> b.enabled(Boolean.parseBoolean(value));
			case "time-interval" -> b.timeInterval(Duration.parse(value));
			case "recovery-policy" -> b.recoveryPolicy(RecoveryPolicy.parse(value));
			case "warn-signal" -> b.warnSignal(PosixSignal.parseWarningSignal(value));
			case "kill-delay" -> b.killDelay(Duration.parse(value));
			case "health-check.mode" -> b.healthCheckMode(HealthCheckMode.parse(value));
			case "health-check.timeout" -> b.healthCheckTimeout(Duration.parse(value));
			case "startup-timeout" -> b.startupTimeout(Duration.parse(value));
			case "shutdown-timeout" -> b.shutdownTimeout(Duration.parse(value));
			case "restart.delay" -> b.restartDelay(Duration.parse(value));
			case "restart.max-delay" -> b.restartMaxDelay(Duration.parse(value));
			case "restart.multiplier" -> b.restartMultiplier(Double.parseDouble(value));
			case "restart.max-restarts" -> b.maxRestarts(Integer.parseInt(value));
			case "restart.window" -> b.restartWindow(Duration.parse(value));
			case "data-store.max-size" -> b.dataStoreMaxSize(Long.parseLong(value));
			case "quorum.enabled" -> b.quorum(Boolean.parseBoolean(value));
			case "cmap.enabled" -> b.cmap(Boolean.parseBoolean(value));
			case "diagnostics.thread-dump" -> b.threadDump(Boolean.parseBoolean(value));
			case "health-check.pause-grace" -> b.pauseGrace(Duration.parse(value));
			default -> {
				// A newer instance may know more settings than this supervisor: ignore
				// them.
			}
		}
	}

	/**
	 * A duration as a user writes it in {@code application.yml}: {@code 10s},
	 * {@code 1500ms}, {@code -1s}.
	 */
	public static String format(Duration duration) {
		if (duration.isZero()) {
			return "0";
		}
		String sign = duration.isNegative() ? "-" : "";
		Duration abs = duration.abs();
		BigInteger nanos = BigInteger.valueOf(abs.getSeconds())
			.multiply(BigInteger.valueOf(1_000_000_000L))
			.add(BigInteger.valueOf(abs.getNano()));
		long[] nanosPerUnit = { 86_400_000_000_000L, 3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L,
				1_000L, 1L };
		String[] units = { "d", "h", "m", "s", "ms", "us", "ns" };
		for (int i = 0; i < nanosPerUnit.length; i++) {
			BigInteger[] quotient = nanos.divideAndRemainder(BigInteger.valueOf(nanosPerUnit[i]));
			if (quotient[1].signum() == 0) {
				return sign + quotient[0] + units[i];
			}
		}
		return sign + nanos + "ns";
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof SamSettings that && toMap().equals(that.toMap());
	}

	@Override
	public int hashCode() {
		return toMap().hashCode();
	}

	@Override
	public String toString() {
		return "SamSettings" + toMap();
	}

	/** Builds {@link SamSettings}, starting from the defaults of docs/CONTRACT.md. */
	public static final class Builder {

		private boolean enabled = true;

		private Duration timeInterval = Duration.ofSeconds(10);

		private RecoveryPolicy recoveryPolicy = RecoveryPolicy.RESTART;

		private PosixSignal warnSignal = PosixSignal.TERM;

		private Duration killDelay;

		private HealthCheckMode healthCheckMode = HealthCheckMode.EVENT;

		private Duration healthCheckTimeout;

		private Duration startupTimeout = Duration.ZERO;

		private Duration shutdownTimeout = Duration.ofSeconds(30);

		private Duration restartDelay = Duration.ZERO;

		private Duration restartMaxDelay = Duration.ZERO;

		private double restartMultiplier = 2.0;

		private int maxRestarts;

		private Duration restartWindow = Duration.ofSeconds(60);

		private long dataStoreMaxSize = 1024 * 1024;

		private boolean quorum;

		private boolean cmap;

		private boolean threadDump = true;

		private Duration pauseGrace = Duration.ofSeconds(30);

		private Builder() {
		}

		public Builder enabled(boolean value) {
			this.enabled = value;
			return this;
		}

		public Builder timeInterval(Duration value) {
			this.timeInterval = value;
			return this;
		}

		public Builder recoveryPolicy(RecoveryPolicy value) {
			this.recoveryPolicy = value;
			return this;
		}

		public Builder warnSignal(PosixSignal value) {
			this.warnSignal = value;
			return this;
		}

		/** {@code null} means "same as the time interval". */
		public Builder killDelay(Duration value) {
			this.killDelay = value;
			return this;
		}

		public Builder healthCheckMode(HealthCheckMode value) {
			this.healthCheckMode = value;
			return this;
		}

		/** {@code null} means "half of the time interval". */
		public Builder healthCheckTimeout(Duration value) {
			this.healthCheckTimeout = value;
			return this;
		}

		public Builder startupTimeout(Duration value) {
			this.startupTimeout = value;
			return this;
		}

		public Builder shutdownTimeout(Duration value) {
			this.shutdownTimeout = value;
			return this;
		}

		public Builder restartDelay(Duration value) {
			this.restartDelay = value;
			return this;
		}

		public Builder restartMaxDelay(Duration value) {
			this.restartMaxDelay = value;
			return this;
		}

		public Builder restartMultiplier(double value) {
			this.restartMultiplier = value;
			return this;
		}

		public Builder maxRestarts(int value) {
			this.maxRestarts = value;
			return this;
		}

		public Builder restartWindow(Duration value) {
			this.restartWindow = value;
			return this;
		}

		public Builder dataStoreMaxSize(long value) {
			this.dataStoreMaxSize = value;
			return this;
		}

		public Builder quorum(boolean value) {
			this.quorum = value;
			return this;
		}

		public Builder cmap(boolean value) {
			this.cmap = value;
			return this;
		}

		public Builder threadDump(boolean value) {
			this.threadDump = value;
			return this;
		}

		public Builder pauseGrace(Duration value) {
			this.pauseGrace = value;
			return this;
		}

		/**
		 * Validates and builds.
		 * @throws InvalidSettingException naming the first property whose value is
		 * unusable
		 */
		public SamSettings build() {
			require("time-interval", this.timeInterval);
			require("recovery-policy", this.recoveryPolicy);
			require("warn-signal", this.warnSignal);
			require("health-check.mode", this.healthCheckMode);
			duration("time-interval", this.timeInterval);
			if (!this.timeInterval.isZero() && this.timeInterval.compareTo(MIN_TIME_INTERVAL) < 0) {
				throw new InvalidSettingException("time-interval", this.timeInterval.toString(),
						"SAM counts the time interval in milliseconds; use 0 for none or at least 1ms");
			}
			if (!this.warnSignal.isWarningSignal()) {
				throw new InvalidSettingException("warn-signal", this.warnSignal.signalName(),
						"use TERM, INT, HUP, USR1, or KILL for no warning");
			}
			if (this.killDelay != null) {
				duration("kill-delay", this.killDelay);
				if (this.killDelay.isZero() && this.warnSignal != PosixSignal.KILL && !this.timeInterval.isZero()) {
					throw new InvalidSettingException("kill-delay", "0",
							"a zero kill delay gives the application no time to act on SIG" + this.warnSignal.name()
									+ "; give it time (e.g. 5s) or set warn-signal to KILL for no warning");
				}
			}
			if (this.healthCheckTimeout != null) {
				duration("health-check.timeout", this.healthCheckTimeout);
				if (!this.timeInterval.isZero() && this.healthCheckTimeout.compareTo(this.timeInterval) > 0) {
					throw new InvalidSettingException("health-check.timeout", this.healthCheckTimeout.toString(),
							"a check may not run longer than the time interval (" + format(this.timeInterval)
									+ "); lower it or raise time-interval");
				}
				if (!this.timeInterval.isZero() && this.healthCheckTimeout.isZero()) {
					throw new InvalidSettingException("health-check.timeout", "0",
							"a zero timeout fails every check before it can answer; give checks time (e.g. 2s), or"
									+ " leave it unset for half of the time interval");
				}
			}
			duration("startup-timeout", this.startupTimeout);
			duration("shutdown-timeout", this.shutdownTimeout);
			duration("restart.delay", this.restartDelay);
			duration("restart.max-delay", this.restartMaxDelay);
			duration("restart.window", this.restartWindow);
			duration("health-check.pause-grace", this.pauseGrace);
			if (this.restartWindow.isZero()) {
				throw new InvalidSettingException("restart.window", "0",
						"restarts are counted and the delay grows within this window, and a zero window holds none;"
								+ " use a positive duration (e.g. 60s)");
			}
			if (!this.restartMaxDelay.isZero() && this.restartMaxDelay.compareTo(this.restartDelay) < 0) {
				throw new InvalidSettingException("restart.max-delay", this.restartMaxDelay.toString(),
						"the maximum is below restart.delay (" + format(this.restartDelay) + ") and would shorten it;"
								+ " use at least restart.delay, or 0 for no maximum");
			}
			if (!(this.restartMultiplier >= 1.0) || Double.isInfinite(this.restartMultiplier)) {
				throw new InvalidSettingException("restart.multiplier", Double.toString(this.restartMultiplier),
						"use a finite number of at least 1.0 (1.0 keeps the delay constant)");
			}
			if (this.maxRestarts < 0) {
				throw new InvalidSettingException("restart.max-restarts", Integer.toString(this.maxRestarts),
						"use 0 for unlimited or a positive count");
			}
			if (this.dataStoreMaxSize < 0 || this.dataStoreMaxSize > MAX_DATA_STORE_SIZE) {
				throw new InvalidSettingException("data-store.max-size", Long.toString(this.dataStoreMaxSize),
						"use a size from 0 to 512MB");
			}
			return new SamSettings(this);
		}

		private static void require(String property, Object value) {
			if (value == null) {
				throw new InvalidSettingException(property, "null", "give it a value");
			}
		}

		/** Zero or positive, and at most {@link #MAX_DURATION}. */
		private static void duration(String property, Duration value) {
			require(property, value);
			if (value.isNegative()) {
				throw new InvalidSettingException(property, value.toString(), "use zero or a positive duration");
			}
			if (value.compareTo(MAX_DURATION) > 0) {
				throw new InvalidSettingException(property, value.toString(),
						"SAM's deadlines stay within a year; use at most 365d");
			}
		}

	}

	/**
	 * A setting whose value cannot be used, with the property name, the value and a fix.
	 */
	public static final class InvalidSettingException extends IllegalArgumentException {

		private static final long serialVersionUID = 1L;

		private final String property;

		private final String value;

		private final String fix;

		public InvalidSettingException(String property, String value, String fix) {
			super("sam." + property + " = " + value + " is invalid: " + fix);
			this.property = "sam." + property;
			this.value = value;
			this.fix = fix;
		}

		/** The full property name, e.g. {@code sam.kill-delay}. */
		public String property() {
			return this.property;
		}

		public String value() {
			return this.value;
		}

		public String fix() {
			return this.fix;
		}

	}

}
