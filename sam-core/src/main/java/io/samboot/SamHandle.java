package io.samboot;

/**
 * The SAM handle of this process ({@code sam_internal_data} in corosync) behind
 * {@link Sam}'s static methods: the calls of {@link SamClient} plus those that set the
 * handle up and tear it down.
 *
 * <p>
 * sam-core implements it in {@code io.samboot.session} and names that class in
 * {@code META-INF/services/io.samboot.SamHandle}; {@link Sam} finds it once through
 * {@link java.util.ServiceLoader}. This package is the vocabulary every layer of sam-core
 * speaks (settings, states, signals, errors), so it may not import the layers that
 * implement it: the service seam is what keeps the packages free of cycles. Applications
 * use {@link Sam} or an injected {@link SamClient}, never this type.
 */
public interface SamHandle extends SamClient {

	/**
	 * {@code sam_initialize}: BAD_HANDLE after a first call, INVALID_PARAM without
	 * settings.
	 */
	void initialize(SamSettings settings);

	/**
	 * Fails with BAD_HANDLE unless {@link #initialize} may still be called (corosync
	 * checks the state first).
	 */
	void requireNotInitialized();

	/** Told the outcome of every event-driven health check; {@code null} for none. */
	void healthCheckListener(HealthCheckListener listener);

	/**
	 * Told what the supervisor is about to do to this instance; {@code null} for none.
	 */
	void supervisorNoticeListener(SupervisorNoticeListener listener);

	/**
	 * {@code sam_register}: in the instance returns the instance id; in the supervisor
	 * does not return.
	 */
	int register();

	/**
	 * Whether this JVM is the hot standby ({@code sam.standby.enabled}), parked and not
	 * yet promoted.
	 */
	boolean standby();

	/**
	 * Parks a standby until it is promoted (at once in an active instance); see
	 * {@link Sam#awaitPromotion()}.
	 */
	void awaitPromotion();

	/**
	 * Takes the listening socket the supervisor keeps for the web server and makes it
	 * standard input; see {@link Sam#inheritListeningSocket}.
	 * @return the port, or -1 when not supervised
	 */
	int inheritListeningSocket(String host, int port);

	/**
	 * Tells the supervisor where this instance's web server answers the HTTP liveness
	 * check; see {@link Sam#httpCheckUrl}.
	 */
	void httpCheckUrl(String url);

	/** {@code sam_hc_callback_register}. */
	void hcCallbackRegister(HealthCheckCallback callback);

	/** {@code sam_finalize}. */
	void close();

}
