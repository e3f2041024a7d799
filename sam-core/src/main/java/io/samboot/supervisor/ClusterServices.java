package io.samboot.supervisor;

import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Creates the cluster integrations an instance asks for in its settings
 * ({@code sam.quorum.enabled}, {@code sam.cmap.enabled}). The supervisor calls it when
 * the first instance registers.
 */
public interface ClusterServices {

	/** No cluster: asking for quorum or CMAP fails with an explanation. */
	ClusterServices NONE = new ClusterServices() {
		@Override
		public void checkAvailable(boolean quorum, boolean cmap) {
			if (quorum) {
				quorum();
			}
			if (cmap) {
				cmap(-1);
			}
		}

		@Override
		public QuorumSource quorum() {
			throw new ClusterUnavailableException("quorum", "no cluster integration is on the class path");
		}

		@Override
		public SupervisorListener cmap(long supervisorPid) {
			throw new ClusterUnavailableException("cmap", "no cluster integration is on the class path");
		}
	};

	/**
	 * The cluster integration on the class path
	 * ({@code META-INF/services/io.samboot.supervisor.ClusterServices}, which
	 * sam-corosync provides), or {@link #NONE}. Every caller goes through here: the
	 * supervisor, the SAM handle's {@code initialize} and Spring Boot's listener.
	 */
	static ClusterServices fromClassPath() {
		return ServiceLoader.load(ClusterServices.class, ClusterServices.class.getClassLoader())
			.findFirst()
			.orElse(NONE);
	}

	/**
	 * The class of the integration on the class path, without creating it (for the lean
	 * JVM's class path).
	 */
	static Optional<Class<? extends ClusterServices>> providerType() {
		return ServiceLoader.load(ClusterServices.class, ClusterServices.class.getClassLoader())
			.stream()
			.findFirst()
			.map(ServiceLoader.Provider::type);
	}

	/**
	 * Checks, before anything is launched, that the services asked for can work here, as
	 * corosync's {@code sam_initialize} does with its quorum flag: throws
	 * {@link ClusterUnavailableException} saying what to install or start.
	 */
	void checkAvailable(boolean quorum, boolean cmap);

	/**
	 * corosync's quorum; throws {@link ClusterUnavailableException} saying what to
	 * install or start.
	 */
	QuorumSource quorum();

	/**
	 * A listener that publishes {@code resources.process.<supervisorPid>.*} in corosync's
	 * CMAP; throws {@link ClusterUnavailableException} saying what to install or start.
	 */
	SupervisorListener cmap(long supervisorPid);

	/** A cluster integration that cannot work here, with what to do about it. */
	final class ClusterUnavailableException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		private final String service;

		private final String problem;

		private final String action;

		public ClusterUnavailableException(String service, String message) {
			this(service, message, null);
		}

		public ClusterUnavailableException(String service, String message, Throwable cause) {
			this(service, message, null, null, cause);
		}

		/**
		 * @param problem what is wrong, as the middle of a sentence ("the corosync daemon
		 * is not running")
		 * @param action what to do about it, as a sentence
		 */
		public ClusterUnavailableException(String service, String message, String problem, String action,
				Throwable cause) {
			super(message, cause);
			this.service = service;
			this.problem = problem;
			this.action = action;
		}

		/** What is wrong, when the integration could tell; {@code null} otherwise. */
		public String problem() {
			return this.problem;
		}

		/**
		 * What to do about it, when the integration could tell; {@code null} otherwise.
		 */
		public String action() {
			return this.action;
		}

		/** {@code quorum} or {@code cmap}. */
		public String service() {
			return this.service;
		}

	}

}
