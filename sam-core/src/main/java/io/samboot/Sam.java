package io.samboot;

import java.time.Duration;
import java.util.ServiceLoader;

/**
 * corosync's Simple Availability Manager for plain Java: one handle per process, as in C.
 *
 * <pre>{@code
 * Sam.initialize(Duration.ofSeconds(5), RecoveryPolicy.RESTART);
 * int instanceId = Sam.register();   // the process that called it becomes the supervisor and never gets here
 * Sam.start();
 * while (working) { doWork(); Sam.hcSend(); }
 * Sam.close();
 * }</pre>
 *
 * <p>
 * {@link #register()} relaunches this JVM's command line as the active instance and turns
 * the calling process into its supervisor; the instance runs {@code main} again from the
 * top, and its call to {@code register()} returns its instance id. Every misuse throws a
 * {@link SamException} with the {@link SamError} corosync returns for it.
 */
public final class Sam {

	/**
	 * Volatile: read without a lock once created, so the hot calls (restore) take no
	 * monitor.
	 */
	private static volatile SamHandle session;

	private Sam() {
	}

	/**
	 * {@code sam_initialize} with the other settings at their defaults, but for restarts:
	 * as corosync's libsam, every failure is restarted at once ({@code restart.delay} 0),
	 * where {@link SamSettings#defaults()} back off from the second failure in a row.
	 */
	public static void initialize(Duration timeInterval, RecoveryPolicy recoveryPolicy) {
		session().requireNotInitialized();
		if (timeInterval == null || timeInterval.isNegative()) {
			throw new SamException(SamError.INVALID_PARAM,
					"time interval must be zero or positive, was " + timeInterval);
		}
		if (recoveryPolicy == null) {
			throw new SamException(SamError.INVALID_PARAM, "recovery policy must be QUIT or RESTART");
		}
		SamSettings settings;
		try {
			settings = SamSettings.builder()
				.timeInterval(timeInterval)
				.recoveryPolicy(recoveryPolicy)
				.healthCheckMode(HealthCheckMode.APPLICATION)
				.restartDelay(Duration.ZERO)
				.build();
		}
		catch (IllegalArgumentException ex) {
			// Out of range (longer than a year, shorter than a millisecond): corosync's
			// INVALID_PARAM.
			throw new SamException(SamError.INVALID_PARAM, ex.getMessage());
		}
		initialize(settings);
	}

	/** {@code sam_initialize} with every setting. */
	public static void initialize(SamSettings settings) {
		session().initialize(settings);
	}

	/**
	 * Registers a listener for the event-driven checks this instance runs (for metrics).
	 */
	public static void healthCheckListener(HealthCheckListener listener) {
		session().healthCheckListener(listener);
	}

	/**
	 * Registers a listener for what the supervisor tells this instance before it acts
	 * (quorum lost or regained, about to be stopped); {@code null} for none. Works before
	 * and after {@code register()}; unsupervised it hears nothing.
	 */
	public static void supervisorNoticeListener(SupervisorNoticeListener listener) {
		session().supervisorNoticeListener(listener);
	}

	/**
	 * {@code sam_register}: in the supervisor this never returns; in the active instance
	 * it returns the instance id (1 for the first); in an unsupervised process it returns
	 * 0.
	 */
	public static int register() {
		return session().register();
	}

	public static void start() {
		session().start();
	}

	public static void stop() {
		session().stop();
	}

	public static void hcSend() {
		session().hcSend();
	}

	/**
	 * {@code sam_hc_callback_register}: switches to event-driven checking; {@code null}
	 * switches back.
	 */
	public static void hcCallbackRegister(HealthCheckCallback callback) {
		session().hcCallbackRegister(callback);
	}

	public static void warnSignalSet(String signal) {
		session().warnSignalSet(signal);
	}

	public static void warnSignalSet(PosixSignal signal) {
		session().warnSignalSet((signal != null) ? signal.name() : null);
	}

	public static void dataStore(byte[] data) {
		session().dataStore(data);
	}

	/** The stored data (an empty array when none). */
	public static byte[] dataRestore() {
		return session().dataRestore();
	}

	/**
	 * Copies the stored data into {@code buffer}; fails with INVALID_PARAM if it is too
	 * small.
	 */
	public static int dataRestore(byte[] buffer) {
		return session().dataRestore(buffer);
	}

	public static int dataGetSize() {
		return session().dataGetSize();
	}

	public static void markFailed() {
		session().markFailed();
	}

	/**
	 * {@code sam_finalize}: stops health checking; every later call fails with
	 * BAD_HANDLE.
	 */
	public static void close() {
		session().close();
	}

	/**
	 * Whether this JVM is the hot standby ({@code sam.standby.enabled}): started by the
	 * supervisor as the next instance, parked before it serves, and not yet promoted. A
	 * standby must not do what only the active instance may (consume a queue, run
	 * scheduled jobs, take exclusive locks, migrate a database) until
	 * {@link #awaitPromotion()} returns.
	 */
	public static boolean isStandby() {
		return session().standby();
	}

	/**
	 * Parks this standby until the supervisor promotes it, when the active instance fails
	 * or is restarted; returns at once in an active instance. Afterwards this JVM is the
	 * instance a restart would have launched: its instance id, its restart count, and the
	 * data as it was stored until the promotion (data read before may be stale).
	 * {@link #start()} calls it first, so a plain Java application parks there; the
	 * Spring Boot starter parks before the web server starts.
	 * @throws SamException if the supervisor goes, or the thread is interrupted (a
	 * shutdown)
	 */
	public static void awaitPromotion() {
		session().awaitPromotion();
	}

	/**
	 * Takes the listening socket the supervisor keeps for the web server on this address
	 * (empty for every address) and port, opening it on first use, and makes it this
	 * process's standard input, where {@link System#inheritedChannel()} finds it. Every
	 * instance then accepts on the same socket, which outlives each of them. Linux only.
	 * @return the port it listens on, or -1 when this JVM is not supervised
	 * @throws SamException if the supervisor cannot open or pass it
	 */
	public static int inheritListeningSocket(String host, int port) {
		return session().inheritListeningSocket(host, port);
	}

	/**
	 * Tells the supervisor where this instance's web server answers: with
	 * {@code sam.health-check.http.enabled}, each health check then also sends a GET
	 * there, and an instance whose web server stops answering is recovered like one whose
	 * checks fail. For an application whose port is known only once its server listens;
	 * the Spring Boot starter calls it with the liveness endpoint's URL. An unsupervised
	 * JVM ignores it.
	 * @param url a plain {@code http} URL on a loopback address (127.0.0.1, [::1],
	 * localhost)
	 * @throws SamException if the URL is not one, or before {@link #register()}
	 */
	public static void httpCheckUrl(String url) {
		session().httpCheckUrl(url);
	}

	/** The SAM API as an object, for dependency injection. */
	public static SamClient client() {
		return session();
	}

	private static SamHandle session() {
		SamHandle current = session;
		return (current != null) ? current : createSession();
	}

	private static synchronized SamHandle createSession() {
		if (session == null) {
			session = ServiceLoader.load(SamHandle.class, Sam.class.getClassLoader())
				.findFirst()
				.orElseThrow(() -> new SamException(SamError.LIBRARY, "no SAM handle on the class path: sam-core's"
						+ " META-INF/services/io.samboot.SamHandle is missing (a jar repackaged without its service files?)"));
		}
		return session;
	}

}
