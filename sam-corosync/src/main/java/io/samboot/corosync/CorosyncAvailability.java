package io.samboot.corosync;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import io.samboot.corosync.CorosyncUnavailableException.Reason;
import io.samboot.supervisor.ClusterServices.ClusterUnavailableException;

/**
 * Checks at start-up that corosync can serve what the application asked for
 * ({@code sam.quorum.enabled}, {@code sam.cmap.enabled}), so that a missing package or a
 * stopped daemon fails the start with an explanation instead of a supervisor that waits
 * for a quorum that never comes.
 *
 * <p>
 * Loads the libraries, then connects to the daemon once per service and disconnects; a
 * daemon that is still starting ({@code CS_ERR_TRY_AGAIN}) gets a few seconds.
 */
public final class CorosyncAvailability {

	/** How long the daemon may take to answer (or to stop saying "try again"). */
	static final Duration TIMEOUT = Duration.ofSeconds(5);

	private static final Duration TRY_AGAIN_PAUSE = Duration.ofMillis(100);

	private CorosyncAvailability() {
	}

	/**
	 * Checks the services asked for; does nothing when neither is.
	 * @throws ClusterUnavailableException naming the service ({@code quorum} or
	 * {@code cmap}) with a message that says what to install or start; its cause is a
	 * {@link CorosyncUnavailableException} with the problem and the action apart
	 */
	public static void check(boolean quorum, boolean cmap) {
		check(quorum, cmap, CorosyncLibraries.quorumName(), CorosyncLibraries.cmapName(), TIMEOUT);
	}

	static void check(boolean quorum, boolean cmap, String quorumLibrary, String cmapLibrary, Duration timeout) {
		QuorumLibrary quorumLib = quorum ? load("quorum", () -> CorosyncLibraries.quorum(quorumLibrary)) : null;
		CmapLibrary cmapLib = cmap ? load("cmap", () -> CorosyncLibraries.cmap(cmapLibrary)) : null;
		if (quorumLib != null) {
			reach("quorum", "quorum_initialize()", timeout, () -> quorumLib.connect(quorate -> {
			}));
		}
		if (cmapLib != null) {
			reach("cmap", "cmap_initialize()", timeout, cmapLib::connect);
		}
	}

	private static <T> T load(String service, Supplier<T> loader) {
		try {
			return loader.get();
		}
		catch (CorosyncUnavailableException ex) {
			throw unavailable(service, ex);
		}
	}

	private static void reach(String service, String call, Duration timeout, Supplier<AutoCloseable> connect) {
		long deadline = System.nanoTime() + timeout.toNanos();
		try {
			NativeThreads.call("sam-corosync-check", timeout, () -> {
				while (true) {
					try (AutoCloseable connection = connect.get()) {
						return null;
					}
					catch (CorosyncException ex) {
						if (ex.is(CsError.CS_ERR_TRY_AGAIN)
								&& deadline - System.nanoTime() > 2 * TRY_AGAIN_PAUSE.toNanos()) {
							Thread.sleep(TRY_AGAIN_PAUSE.toMillis());
							continue;
						}
						throw ex;
					}
				}
			});
		}
		catch (CorosyncException ex) {
			throw unavailable(service, explain(call, ex, timeout));
		}
		catch (TimeoutException ex) {
			throw unavailable(service, new CorosyncUnavailableException(Reason.NO_ANSWER,
					"corosync did not answer " + call + " within " + timeout.toSeconds() + "s",
					"Check the daemon with corosync-cfgtool -s and its log (journalctl -u corosync); restart it if it"
							+ " hangs",
					ex));
		}
	}

	static CorosyncUnavailableException explain(String call, CorosyncException ex, Duration timeout) {
		String user = System.getProperty("user.name", "?");
		if (ex.is(CsError.CS_ERR_LIBRARY)) {
			return new CorosyncUnavailableException(Reason.DAEMON_NOT_RUNNING,
					"the corosync daemon is not running or cannot be reached from this process (" + ex.getMessage()
							+ ")",
					"Start it: systemctl start corosync (it reads /etc/corosync/corosync.conf), then check that"
							+ " corosync-quorumtool -s answers when run as " + user + " in the same network namespace"
							+ " as the application (corosync's client sockets belong to its namespace)",
					ex);
		}
		if (ex.is(CsError.CS_ERR_ACCESS) || ex.is(CsError.CS_ERR_SECURITY)) {
			return new CorosyncUnavailableException(Reason.ACCESS_DENIED,
					"corosync refused the connection of user " + user + " (" + ex.getMessage() + ")",
					"Run the application as root, or allow the user in corosync.conf with uidgid { uid: " + user
							+ " } (or a gid) and reload corosync (corosync-cfgtool -R)",
					ex);
		}
		if (ex.is(CsError.CS_ERR_TRY_AGAIN)) {
			return new CorosyncUnavailableException(
					Reason.NOT_READY, "corosync is running but still not ready after " + timeout.toSeconds() + "s ("
							+ ex.getMessage() + ")",
					"Wait until corosync-quorumtool -s answers, then start the application again", ex);
		}
		return new CorosyncUnavailableException(Reason.FAILED,
				"corosync answered with an error (" + ex.getMessage() + ")",
				"Check the daemon with corosync-cfgtool -s and its log (journalctl -u corosync)", ex);
	}

	private static ClusterUnavailableException unavailable(String service, CorosyncUnavailableException ex) {
		return new ClusterUnavailableException(service, ex.getMessage(), ex.problem(), ex.action(), ex);
	}

}
