package io.samboot;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

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

	/**
	 * Shortest time interval SAM does not warn about: a JVM's own pauses (a collection, a
	 * safepoint, a class-loading burst at start-up, a loaded machine) routinely take tens
	 * of milliseconds, and a health check must be requested, run and answered within a
	 * quarter of the interval. Shorter intervals still work, as in corosync's SAM.
	 */
	public static final Duration RELIABLE_TIME_INTERVAL = Duration.ofMillis(100);

	/**
	 * First back-off delay: the wait before the second restart in a row (the first one
	 * after a failure happens at once, see {@link #immediateRestarts()}).
	 */
	public static final Duration DEFAULT_RESTART_DELAY = Duration.ofSeconds(1);

	/**
	 * Longest back-off delay by default: failures in a row wait 1 s, 2 s, 4 s, ... up to
	 * a minute, as systemd's and Kubernetes' restart back-offs do.
	 */
	public static final Duration DEFAULT_RESTART_MAX_DELAY = Duration.ofMinutes(1);

	/**
	 * The values, the derived defaults resolved: a copy of the builder made in the
	 * constructor and never handed out, so they cannot change.
	 */
	private final Builder values;

	/**
	 * Derived once: the supervisor's loop reads it on every pass, and
	 * {@link Duration#dividedBy(long)} goes through {@code BigDecimal}.
	 */
	private final Duration healthCheckRequestPeriod;

	private SamSettings(Builder builder) {
		this.values = builder.resolved();
		Duration quarter = this.values.timeInterval.dividedBy(4);
		this.healthCheckRequestPeriod = quarter.isZero() ? Duration.ofMillis(1) : quarter;
	}

	/** The defaults of docs/CONTRACT.md. */
	public static SamSettings defaults() {
		return builder().build();
	}

	public static Builder builder() {
		return new Builder();
	}

	public Builder toBuilder() {
		return this.values.resolved();
	}

	/**
	 * {@code sam.enabled}: whether the supervisor supervises, or only passes signals and
	 * the exit status through.
	 */
	public boolean enabled() {
		return this.values.enabled;
	}

	/** {@code sam.time-interval}: the health-check time limit, zero for none. */
	public Duration timeInterval() {
		return this.values.timeInterval;
	}

	public RecoveryPolicy recoveryPolicy() {
		return this.values.recoveryPolicy;
	}

	public PosixSignal warnSignal() {
		return this.values.warnSignal;
	}

	/** How long after the warning signal SIGKILL follows. */
	public Duration killDelay() {
		return this.values.killDelay;
	}

	public HealthCheckMode healthCheckMode() {
		return this.values.healthCheckMode;
	}

	/**
	 * How long one event-driven check may run in the instance before it counts as timed
	 * out.
	 */
	public Duration healthCheckTimeout() {
		return this.values.healthCheckTimeout;
	}

	/**
	 * Time for an instance to call {@code start()} before the recovery action, zero for
	 * none.
	 */
	public Duration startupTimeout() {
		return this.values.startupTimeout;
	}

	/**
	 * On SIGTERM/SIGINT/SIGHUP to the supervisor: time for the instance to stop before
	 * SIGKILL.
	 */
	public Duration shutdownTimeout() {
		return this.values.shutdownTimeout;
	}

	public Duration restartDelay() {
		return this.values.restartDelay;
	}

	/**
	 * Largest back-off delay, zero for no maximum (the delay then stops growing at a
	 * day).
	 */
	public Duration restartMaxDelay() {
		return this.values.restartMaxDelay;
	}

	/**
	 * Failures in a row that restart at once before the back-off delays begin: 1 by
	 * default (a first failure restarts at once, as Kubernetes restarts a crashed
	 * container), 0 for a delay before every restart.
	 */
	public int immediateRestarts() {
		return this.values.immediateRestarts;
	}

	public double restartMultiplier() {
		return this.values.restartMultiplier;
	}

	/** Restarts allowed within {@link #restartWindow()}, zero for unlimited. */
	public int maxRestarts() {
		return this.values.maxRestarts;
	}

	public Duration restartWindow() {
		return this.values.restartWindow;
	}

	public long dataStoreMaxSize() {
		return this.values.dataStoreMaxSize;
	}

	/**
	 * Whether data may be stored under {@link #dataStoreMaxSize()}: the one size rule,
	 * applied by the instance before it sends and by the supervisor again when it keeps.
	 * {@code null} or empty data removes what is stored, and always fits.
	 */
	public boolean dataStoreFits(byte[] data) {
		return data == null || dataStoreFits(data.length);
	}

	/**
	 * The same rule for {@code length} bytes held elsewhere (a supervisor keeps large
	 * stores in direct memory).
	 */
	public boolean dataStoreFits(long length) {
		return length <= this.values.dataStoreMaxSize;
	}

	public boolean quorum() {
		return this.values.quorum;
	}

	public boolean cmap() {
		return this.values.cmap;
	}

	public boolean threadDump() {
		return this.values.threadDump;
	}

	/**
	 * {@code sam.diagnostics.thread-dump-dir}: where thread dumps are written;
	 * {@code null} for next to the application's log file ({@code logging.file.*}), or,
	 * without one, into the application's own output (SIGQUIT).
	 */
	public String threadDumpDirectory() {
		return this.values.threadDumpDirectory;
	}

	/**
	 * Whether the supervisor keeps a hot standby: a second instance started and parked
	 * before it serves, promoted when the active instance fails or is restarted.
	 */
	public boolean standby() {
		return this.values.standby;
	}

	public Duration pauseGrace() {
		return this.values.pauseGrace;
	}

	/**
	 * {@code sam.health-check.http.enabled}: whether each health check also asks the
	 * instance's web server, over loopback HTTP, whether it is live, as a Kubernetes
	 * liveness probe would.
	 */
	public boolean httpCheck() {
		return this.values.httpCheck;
	}

	/**
	 * {@code sam.health-check.http.url}: where that request goes, a loopback {@code http}
	 * URL; {@code null} until the instance says (the starter does once its web server
	 * listens).
	 */
	public String httpCheckUrl() {
		return this.values.httpCheckUrl;
	}

	/**
	 * The application's logging configuration as the supervisor follows it for its own
	 * lines: the {@code logging.*} properties that concern it ({@code logging.level.*} of
	 * {@code root} and SAM's packages, {@code logging.structured.*},
	 * {@code logging.file.*}), keyed as in {@code application.yml}; empty outside Spring
	 * Boot.
	 */
	public Map<String, String> logging() {
		return this.values.logging;
	}

	/**
	 * How often the supervisor asks for an event-driven check: a quarter of the interval,
	 * as corosync heartbeats.
	 */
	public Duration healthCheckRequestPeriod() {
		return this.healthCheckRequestPeriod;
	}

	public SamSettings withTimeInterval(Duration value) {
		Builder b = toBuilder().timeInterval(value);
		// Keep derived defaults derived unless they were set apart from the interval.
		if (this.values.killDelay.equals(this.values.timeInterval)) {
			b.killDelay(null);
		}
		if (this.values.healthCheckTimeout.equals(this.values.timeInterval.dividedBy(2))) {
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
		return SettingsMap.write(this);
	}

	/**
	 * Settings from {@link #toMap()}; keys this version does not know are ignored,
	 * missing ones take their defaults.
	 * @throws IllegalArgumentException for a value that does not parse or is out of range
	 */
	public static SamSettings fromMap(Map<String, String> map) {
		return SettingsMap.read(map);
	}

	/**
	 * A duration as a user writes it in {@code application.yml}: {@code 10s},
	 * {@code 1500ms}, {@code -1s}.
	 */
	public static String format(Duration duration) {
		return DurationFormat.format(duration);
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

		// The values: package-private for SettingRules, which checks them in build().

		boolean enabled = true;

		Duration timeInterval = Duration.ofSeconds(10);

		RecoveryPolicy recoveryPolicy = RecoveryPolicy.RESTART;

		PosixSignal warnSignal = PosixSignal.TERM;

		Duration killDelay;

		HealthCheckMode healthCheckMode = HealthCheckMode.EVENT;

		Duration healthCheckTimeout;

		Duration startupTimeout = Duration.ZERO;

		Duration shutdownTimeout = Duration.ofSeconds(30);

		Duration restartDelay = DEFAULT_RESTART_DELAY;

		Duration restartMaxDelay;

		int immediateRestarts = 1;

		double restartMultiplier = 2.0;

		int maxRestarts;

		Duration restartWindow = Duration.ofSeconds(60);

		long dataStoreMaxSize = 1024 * 1024;

		boolean quorum;

		boolean cmap;

		boolean threadDump = true;

		String threadDumpDirectory;

		boolean standby;

		Duration pauseGrace = Duration.ofSeconds(30);

		boolean httpCheck;

		String httpCheckUrl;

		Map<String, String> logging = Map.of();

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

		/**
		 * {@code null} means {@link #DEFAULT_RESTART_MAX_DELAY}, or the delay when that
		 * is longer.
		 */
		public Builder restartMaxDelay(Duration value) {
			this.restartMaxDelay = value;
			return this;
		}

		public Builder immediateRestarts(int value) {
			this.immediateRestarts = value;
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

		/** A directory, or {@code null} (or empty) for the default. */
		public Builder threadDumpDirectory(String value) {
			this.threadDumpDirectory = (value == null || value.isBlank()) ? null : value.strip();
			return this;
		}

		public Builder standby(boolean value) {
			this.standby = value;
			return this;
		}

		public Builder pauseGrace(Duration value) {
			this.pauseGrace = value;
			return this;
		}

		public Builder httpCheck(boolean value) {
			this.httpCheck = value;
			return this;
		}

		/**
		 * The {@code logging.*} properties the supervisor follows; keys without the
		 * {@code logging.} prefix are ignored.
		 */
		public Builder logging(Map<String, String> value) {
			Map<String, String> kept = new TreeMap<>();
			if (value != null) {
				value.forEach((key, entry) -> {
					if (key != null && key.startsWith("logging.") && entry != null) {
						kept.put(key, entry);
					}
				});
			}
			this.logging = Map.copyOf(kept);
			return this;
		}

		/** A loopback {@code http} URL, or {@code null} (or empty) for none yet. */
		public Builder httpCheckUrl(String value) {
			this.httpCheckUrl = (value == null || value.isBlank()) ? null : value.strip();
			return this;
		}

		/**
		 * Validates and builds.
		 * @throws InvalidSettingException naming the first property whose value is
		 * unusable
		 */
		public SamSettings build() {
			SettingRules.check(this);
			return new SamSettings(this);
		}

		private static Duration longest(Duration a, Duration b) {
			return (b != null && b.compareTo(a) > 0) ? b : a;
		}

		/** A copy, the derived defaults resolved against the time interval. */
		private Builder resolved() {
			Builder copy = new Builder();
			copy.enabled = this.enabled;
			copy.timeInterval = this.timeInterval;
			copy.recoveryPolicy = this.recoveryPolicy;
			copy.warnSignal = this.warnSignal;
			copy.killDelay = (this.killDelay != null) ? this.killDelay : this.timeInterval;
			copy.healthCheckMode = this.healthCheckMode;
			copy.healthCheckTimeout = (this.healthCheckTimeout != null) ? this.healthCheckTimeout
					: this.timeInterval.dividedBy(2);
			copy.startupTimeout = this.startupTimeout;
			copy.shutdownTimeout = this.shutdownTimeout;
			copy.restartDelay = this.restartDelay;
			copy.restartMaxDelay = (this.restartMaxDelay != null) ? this.restartMaxDelay
					: longest(DEFAULT_RESTART_MAX_DELAY, this.restartDelay);
			copy.immediateRestarts = this.immediateRestarts;
			copy.restartMultiplier = this.restartMultiplier;
			copy.maxRestarts = this.maxRestarts;
			copy.restartWindow = this.restartWindow;
			copy.dataStoreMaxSize = this.dataStoreMaxSize;
			copy.quorum = this.quorum;
			copy.cmap = this.cmap;
			copy.threadDump = this.threadDump;
			copy.threadDumpDirectory = this.threadDumpDirectory;
			copy.standby = this.standby;
			copy.pauseGrace = this.pauseGrace;
			copy.httpCheck = this.httpCheck;
			copy.httpCheckUrl = this.httpCheckUrl;
			copy.logging = this.logging;
			return copy;
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
