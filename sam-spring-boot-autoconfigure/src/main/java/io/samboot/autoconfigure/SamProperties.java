package io.samboot.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.samboot.HealthCheckMode;
import io.samboot.PosixSignal;
import io.samboot.RecoveryPolicy;
import io.samboot.SamSettings;
import io.samboot.SamSettings.InvalidSettingException;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of SAM supervision ({@code sam.*}). The supervisor cannot read
 * {@code application.yml}: the instance sends it these settings, converted by
 * {@link #toSettings()}, when it registers.
 *
 * <p>
 * Every duration here is seconds-scale, so a number without a unit is seconds
 * ({@code @DurationUnit(ChronoUnit.SECONDS)}, as Spring Boot's own
 * {@code server.servlet.session.timeout}): {@code time-interval: 10} is ten seconds.
 */
@ConfigurationProperties("sam")
public class SamProperties {

	/**
	 * Whether to supervise this application. false (in application.yml, a profile file,
	 * an argument, the environment or -Dsam.enabled) runs it in one JVM without a
	 * supervisor; the SAM API then works locally.
	 */
	private boolean enabled = true;

	/**
	 * Health-check time limit: when no health check passes (or no heartbeat arrives)
	 * within it, the instance gets the warning signal, then SIGKILL, then the recovery
	 * policy applies. 0 for none (only the death of the instance is detected). A number
	 * without a unit is seconds; below 100ms SAM warns at start-up.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration timeInterval = Duration.ofSeconds(10);

	/**
	 * What the supervisor does when the instance fails: 'restart' starts a new instance,
	 * 'quit' exits with the failed instance's status.
	 */
	private RecoveryPolicy recoveryPolicy = RecoveryPolicy.RESTART;

	/**
	 * Signal sent first when the time limit passes: TERM, INT, HUP, USR1, or KILL for no
	 * warning (a name with or without SIG, or a number). Signals that would crash or stop
	 * the JVM are refused.
	 */
	private String warnSignal = "TERM";

	/**
	 * How long after the warning signal SIGKILL follows. Defaults to the time interval.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration killDelay;

	/**
	 * Time for a starting instance to become ready before the recovery action. 0 for
	 * none.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration startupTimeout = Duration.ZERO;

	/**
	 * Time for the instance to stop before SIGKILL when the supervisor ends it on
	 * purpose: on SIGTERM or SIGINT to the supervisor, and for a graceful restart
	 * (SIGHUP, or the endpoint's restart action).
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration shutdownTimeout = Duration.ofSeconds(30);

	private final HealthCheck healthCheck = new HealthCheck();

	private final Restart restart = new Restart();

	private final DataStore dataStore = new DataStore();

	private final Quorum quorum = new Quorum();

	private final Cmap cmap = new Cmap();

	private final Diagnostics diagnostics = new Diagnostics();

	private final Standby standby = new Standby();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getTimeInterval() {
		return this.timeInterval;
	}

	public void setTimeInterval(Duration timeInterval) {
		this.timeInterval = timeInterval;
	}

	public RecoveryPolicy getRecoveryPolicy() {
		return this.recoveryPolicy;
	}

	public void setRecoveryPolicy(RecoveryPolicy recoveryPolicy) {
		this.recoveryPolicy = recoveryPolicy;
	}

	public String getWarnSignal() {
		return this.warnSignal;
	}

	public void setWarnSignal(String warnSignal) {
		this.warnSignal = warnSignal;
	}

	public Duration getKillDelay() {
		return this.killDelay;
	}

	public void setKillDelay(Duration killDelay) {
		this.killDelay = killDelay;
	}

	public Duration getStartupTimeout() {
		return this.startupTimeout;
	}

	public void setStartupTimeout(Duration startupTimeout) {
		this.startupTimeout = startupTimeout;
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	public HealthCheck getHealthCheck() {
		return this.healthCheck;
	}

	public Restart getRestart() {
		return this.restart;
	}

	public DataStore getDataStore() {
		return this.dataStore;
	}

	public Quorum getQuorum() {
		return this.quorum;
	}

	public Cmap getCmap() {
		return this.cmap;
	}

	public Diagnostics getDiagnostics() {
		return this.diagnostics;
	}

	public Standby getStandby() {
		return this.standby;
	}

	/**
	 * Converts and validates these properties.
	 * @return the settings the supervisor receives when this instance registers
	 * @throws InvalidSettingException naming the first property whose value cannot be
	 * used, the value and a fix
	 */
	public SamSettings toSettings() {
		SamSettings.Builder builder = SamSettings.builder()
			.enabled(this.enabled)
			.timeInterval(this.timeInterval)
			.recoveryPolicy(this.recoveryPolicy)
			.warnSignal(parse("warn-signal", this.warnSignal, PosixSignal::parseWarningSignal,
					"use TERM, INT, HUP, USR1, or KILL for no warning"))
			.killDelay(this.killDelay)
			.healthCheckMode(this.healthCheck.mode)
			.healthCheckTimeout(this.healthCheck.timeout)
			.pauseGrace(this.healthCheck.pauseGrace)
			.httpCheck(this.healthCheck.http.enabled)
			.httpCheckUrl(this.healthCheck.http.url)
			.startupTimeout(this.startupTimeout)
			.shutdownTimeout(this.shutdownTimeout)
			.restartDelay(this.restart.delay)
			.restartMaxDelay(this.restart.maxDelay)
			.immediateRestarts(this.restart.immediateRestarts)
			.restartMultiplier(this.restart.multiplier)
			.maxRestarts(this.restart.maxRestarts)
			.restartWindow(this.restart.window)
			.dataStoreMaxSize((this.dataStore.maxSize != null) ? this.dataStore.maxSize.toBytes() : -1)
			.quorum(this.quorum.enabled)
			.cmap(this.cmap.enabled)
			.threadDump(this.diagnostics.threadDump)
			.threadDumpDirectory(this.diagnostics.threadDumpDir)
			.standby(this.standby.enabled);
		try {
			return builder.build();
		}
		catch (InvalidSettingException ex) {
			throw readable(ex);
		}
	}

	/**
	 * As {@link #toSettings()}, a refused value reported with where it was set, as Spring
	 * Boot reports a value it cannot bind.
	 * @throws InvalidSamPropertyException naming the property, the value as written, its
	 * origin (a file and line, an environment variable, ...) and a fix
	 */
	SamSettings toSettings(Environment environment) {
		try {
			return toSettings().toBuilder().logging(SupervisorLogging.from(environment)).build();
		}
		catch (InvalidSettingException ex) {
			throw InvalidSamPropertyException.locate(ex, environment);
		}
	}

	private static <T> T parse(String property, String value, Function<String, T> parser, String fix) {
		if (value == null || value.isBlank()) {
			throw new InvalidSettingException(property, String.valueOf(value), "no value given; " + fix);
		}
		try {
			return parser.apply(value);
		}
		catch (IllegalArgumentException ex) {
			String why = ex.getMessage();
			if (why == null || why.isBlank()) {
				throw new InvalidSettingException(property, value, fix);
			}
			// The core's messages end with their own fix ("...; use ..."): keep them
			// whole.
			throw new InvalidSettingException(property, value, why.contains("; use ") ? why : why + "; " + fix);
		}
	}

	/**
	 * Shows durations and sizes as a user writes them ({@code -1s}) rather than as
	 * ISO-8601 ({@code PT-1S}).
	 */
	private static InvalidSettingException readable(InvalidSettingException ex) {
		String value = ex.value();
		String shown = value;
		if (value != null && value.startsWith("PT")) {
			try {
				shown = format(Duration.parse(value));
			}
			catch (RuntimeException notADuration) {
				// keep the value as it is
			}
		}
		else if (value != null && ex.property().equals("sam.data-store.max-size")) {
			try {
				shown = formatSize(Long.parseLong(value));
			}
			catch (NumberFormatException notANumber) {
				// keep the value as it is
			}
		}
		if (shown == null || shown.equals(value)) {
			return ex;
		}
		InvalidSettingException readable = new InvalidSettingException(ex.property().substring("sam.".length()), shown,
				ex.fix());
		readable.setStackTrace(ex.getStackTrace());
		return readable;
	}

	static String format(Duration duration) {
		return SamSettings.format(duration);
	}

	/** A size as a user writes it: {@code 1TB}, {@code 512MB}, {@code 1500B}. */
	static String formatSize(long bytes) {
		String[] units = { "TB", "GB", "MB", "KB" };
		long[] sizes = { 1L << 40, 1L << 30, 1L << 20, 1L << 10 };
		for (int i = 0; i < units.length; i++) {
			if (bytes != 0 && bytes % sizes[i] == 0) {
				return (bytes / sizes[i]) + units[i];
			}
		}
		return bytes + "B";
	}

	/** Event-driven health checking ({@code sam.health-check.*}). */
	public static class HealthCheck {

		/**
		 * Who drives health checking: 'event' (the supervisor asks, the instance runs the
		 * liveness state, every @SamHealthCheck method and the included health
		 * contributors) or 'application' (the application calls SamClient.hcSend() at
		 * least once per time interval).
		 */
		private HealthCheckMode mode = HealthCheckMode.EVENT;

		/**
		 * Names of Actuator health contributors that must be UP for a health check to
		 * pass, besides the liveness state and every @SamHealthCheck method. '*' for all
		 * but 'sam' itself and 'readinessState'. None by default, so that the outage of a
		 * shared dependency does not restart every instance at once.
		 */
		private List<String> include = new ArrayList<>();

		/**
		 * How long one health check may run before it counts as failed. Defaults to half
		 * of the time interval.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration timeout;

		/**
		 * Longest extension of a health-check deadline while the instance is inside a
		 * garbage-collection pause.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration pauseGrace = Duration.ofSeconds(30);

		private final Http http = new Http();

		public HealthCheckMode getMode() {
			return this.mode;
		}

		public void setMode(HealthCheckMode mode) {
			this.mode = mode;
		}

		public List<String> getInclude() {
			return this.include;
		}

		public void setInclude(List<String> include) {
			this.include = include;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public Duration getPauseGrace() {
			return this.pauseGrace;
		}

		public void setPauseGrace(Duration pauseGrace) {
			this.pauseGrace = pauseGrace;
		}

		public Http getHttp() {
			return this.http;
		}

	}

	/**
	 * The supervisor's own HTTP liveness check ({@code sam.health-check.http.*}): a GET
	 * over loopback to the instance's web server as part of each health check, so that an
	 * instance that no longer serves is recovered even while its own checks pass.
	 */
	public static class Http {

		/**
		 * Whether the supervisor also sends a GET to the application's liveness endpoint
		 * over loopback, a quarter interval apart: without a passing answer (a status
		 * from 200 to 399 within sam.health-check.timeout) for a whole time interval, the
		 * instance is recovered.
		 */
		private boolean enabled;

		/**
		 * Where the GET goes, a plain http URL on a loopback address. By default the
		 * liveness endpoint (/actuator/health/liveness) of the web server that serves
		 * Actuator, on the port it listens on.
		 */
		private String url;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getUrl() {
			return this.url;
		}

		public void setUrl(String url) {
			this.url = url;
		}

	}

	/** Restart pacing ({@code sam.restart.*}). */
	public static class Restart {

		/**
		 * Delay before a restart once the immediate restarts are used up (by default:
		 * before the second failure in a row is restarted), growing by the multiplier for
		 * every further failure in a row. 0 to restart every failure at once, as
		 * corosync's SAM does.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration delay = SamSettings.DEFAULT_RESTART_DELAY;

		/**
		 * Largest delay the multiplier may grow it to; at least the delay. Defaults to
		 * one minute, or the delay when that is longer. 0 for no maximum (the delay then
		 * stops growing at one day). For a constant delay, set the multiplier to 1.0.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration maxDelay;

		/**
		 * Failures in a row that are restarted at once, before the delay applies: 1 (a
		 * single crash costs no wait, a crash loop backs off), 0 for the delay before
		 * every restart.
		 */
		private int immediateRestarts = 1;

		/**
		 * Factor the delay grows by with every restart within the window, up to the
		 * maximum delay: a finite number of at least 1.0 (1.0 keeps the delay constant).
		 */
		private double multiplier = 2.0;

		/**
		 * Most restarts allowed within the window; one more and the supervisor gives up
		 * (state failed, it exits). 0 for unlimited.
		 */
		private int maxRestarts;

		/**
		 * Period over which restarts are counted for the maximum; an instance that runs
		 * this long starts the back-off over.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration window = Duration.ofSeconds(60);

		public Duration getDelay() {
			return this.delay;
		}

		public void setDelay(Duration delay) {
			this.delay = delay;
		}

		public Duration getMaxDelay() {
			return this.maxDelay;
		}

		public void setMaxDelay(Duration maxDelay) {
			this.maxDelay = maxDelay;
		}

		public int getImmediateRestarts() {
			return this.immediateRestarts;
		}

		public void setImmediateRestarts(int immediateRestarts) {
			this.immediateRestarts = immediateRestarts;
		}

		public double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(double multiplier) {
			this.multiplier = multiplier;
		}

		public int getMaxRestarts() {
			return this.maxRestarts;
		}

		public void setMaxRestarts(int maxRestarts) {
			this.maxRestarts = maxRestarts;
		}

		public Duration getWindow() {
			return this.window;
		}

		public void setWindow(Duration window) {
			this.window = window;
		}

	}

	/**
	 * The data store kept in the supervisor across instances ({@code sam.data-store.*}).
	 */
	public static class DataStore {

		/**
		 * Largest data the store accepts.
		 */
		private DataSize maxSize = DataSize.ofMegabytes(1);

		public DataSize getMaxSize() {
			return this.maxSize;
		}

		public void setMaxSize(DataSize maxSize) {
			this.maxSize = maxSize;
		}

	}

	/** corosync quorum ({@code sam.quorum.*}). */
	public static class Quorum {

		/**
		 * Whether to use corosync quorum: start waits until the cluster is quorate and
		 * losing quorum triggers the recovery policy.
		 */
		private boolean enabled;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/** corosync CMAP integration ({@code sam.cmap.*}). */
	public static class Cmap {

		/**
		 * Whether to publish the supervision state under the
		 * resources.process.(supervisor pid).* keys of corosync's CMAP.
		 */
		private boolean enabled;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/** What the supervisor collects before it acts ({@code sam.diagnostics.*}). */
	public static class Diagnostics {

		/**
		 * Whether to ask the JVM for a thread dump (SIGQUIT) before the warning signal
		 * for a missed health check.
		 */
		private boolean threadDump = true;

		/**
		 * Where thread dumps are written (a file per dump, named after the instance, its
		 * PID and the time). By default the directory of the application's log file
		 * (logging.file.name or logging.file.path); without one, the dump goes into the
		 * application's own output (SIGQUIT).
		 */
		private String threadDumpDir;

		public String getThreadDumpDir() {
			return this.threadDumpDir;
		}

		public void setThreadDumpDir(String threadDumpDir) {
			this.threadDumpDir = threadDumpDir;
		}

		public boolean isThreadDump() {
			return this.threadDump;
		}

		public void setThreadDump(boolean threadDump) {
			this.threadDump = threadDump;
		}

	}

	/** The hot standby ({@code sam.standby.*}). */
	public static class Standby {

		/**
		 * Whether the supervisor keeps a hot standby: a second JVM started and parked
		 * before it serves, promoted in milliseconds when the active instance fails or is
		 * restarted. It costs the memory of a second instance. The supervisor then keeps
		 * the web server's listening socket, so no connection is refused while one
		 * instance replaces another (Tomcat and Jetty; Linux).
		 */
		private boolean enabled;

		/**
		 * Whether the standby, before it parks, sends itself side-effect-free requests
		 * (an unmapped path, the health endpoint) through a temporary loopback connector
		 * (Tomcat), so that its first requests after the promotion are fast.
		 */
		private boolean warmUp = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public boolean isWarmUp() {
			return this.warmUp;
		}

		public void setWarmUp(boolean warmUp) {
			this.warmUp = warmUp;
		}

	}

}
