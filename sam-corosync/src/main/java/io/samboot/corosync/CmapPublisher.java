package io.samboot.corosync;

import java.time.Duration;
import java.util.function.LongSupplier;

import io.samboot.EndCause;
import io.samboot.SamSettings;
import io.samboot.SamState;
import io.samboot.log.SamLog;
import io.samboot.supervisor.SupervisorListener;

/**
 * Publishes the supervisor in corosync's CMAP as corosync's libsam does with
 * {@code SAM_RECOVERY_POLICY_CMAP}: the keys
 * {@code resources.process.<supervisor pid>.recovery} ({@code quit} or {@code restart}),
 * {@code .poll_period} (the time interval in ms), {@code .last_updated} (the monotonic
 * clock in ns at the last sign of life) and {@code .state} ({@code stopped},
 * {@code running}, {@code waiting for quorum}, {@code failed}), with the same types
 * (string, uint64, uint64, string) and at the same moments:
 * <ul>
 * <li>registration: {@code recovery}, {@code poll_period}, then {@code state = stopped}
 * (no {@code last_updated} yet), and {@code state = stopped} again whenever a new
 * instance is launched;</li>
 * <li>every message libsam's server reads from its child refreshes {@code last_updated}:
 * here {@code start}, {@code stop} and every sign of health (heartbeat or passed
 * check);</li>
 * <li>{@code start}: {@code state = running}, or {@code waiting for quorum} until the
 * cluster is quorate;</li>
 * <li>{@code markFailed()}, a recovery that ends in quit, or giving up after too many
 * restarts: {@code state = failed}, left in place for corosync's watchdog service when
 * the supervisor exits;</li>
 * <li>any other exit: the whole entry is deleted.</li>
 * </ul>
 * Differences from libsam, on purpose: a supervisor stopped with SIGTERM deletes its
 * entry (libsam's server has no handler and leaves a stale {@code running} entry behind),
 * and libsam's second reply to a start request with both flags (which desynchronises its
 * pipe) has no counterpart here.
 *
 * <p>
 * Listener calls come from the supervisor loop's thread and only record what to write; a
 * {@link CmapWriter} thread talks to corosync. Nothing here throws: a failure is logged
 * once.
 */
public final class CmapPublisher implements SupervisorListener {

	/** How long the supervisor's exit may wait for the last CMAP update. */
	static final Duration EXIT_WAIT = Duration.ofSeconds(2);

	private final CmapWriter writer;

	private final LongSupplier nanoTime;

	private final SamLog log;

	private boolean registered;

	private boolean failed;

	private boolean exited;

	/**
	 * Health checking waits for quorum: its start request already refreshed last_updated.
	 */
	private boolean waitingForQuorum;

	private String problem;

	CmapPublisher(CmapWriter writer, LongSupplier nanoTime, SamLog log) {
		this.writer = writer;
		this.nanoTime = nanoTime;
		this.log = log;
	}

	/**
	 * A publisher for {@code resources.process.<supervisorPid>.} on {@code libcmap.so.4}
	 * (or {@code -Dsam.corosync.cmap-library}), logging to the supervisor's log. It
	 * connects when it first has something to write.
	 * @throws CorosyncUnavailableException if JNA or the library is missing
	 */
	public static CmapPublisher create(long supervisorPid) {
		SamLog log = SamLog.get(CorosyncClusterServices.class);
		CmapLibrary library = CorosyncLibraries.cmap(CorosyncLibraries.cmapName());
		return new CmapPublisher(
				new CmapWriter(library, prefix(supervisorPid), log, CorosyncQuorumSource.defaultBackoff()),
				System::nanoTime, log);
	}

	/** {@code resources.process.<pid>.}, as libsam names its entry. */
	public static String prefix(long pid) {
		return "resources.process." + pid + ".";
	}

	/** The key prefix this publisher writes under. */
	public String keyPrefix() {
		return this.writer.prefix();
	}

	@Override
	public void instanceLaunched(int instanceId, long pid) {
		safely(() -> {
			this.waitingForQuorum = false;
			if (this.registered && !this.failed) {
				// libsam writes "stopped" just before it forks each new child.
				this.writer.state(ProcessState.STOPPED);
			}
		});
	}

	@Override
	public void instanceRegistered(int instanceId, SamSettings settings) {
		safely(() -> {
			this.writer.recovery(settings.recoveryPolicy());
			this.writer.pollPeriod(settings.timeInterval().toMillis());
			this.registered = true;
		});
	}

	@Override
	public void stateChanged(int instanceId, SamState state) {
		safely(() -> {
			switch (state) {
				case REGISTERED -> {
					if (!this.failed) {
						this.writer.state(ProcessState.STOPPED);
					}
				}
				case STARTED -> this.writer.state(ProcessState.RUNNING);
				case WAITING_FOR_QUORUM -> {
					// The start request that leads here is a message from the instance,
					// as in libsam.
					this.waitingForQuorum = true;
					this.writer.lastUpdated(this.nanoTime.getAsLong());
					this.writer.state(ProcessState.WAITING_FOR_QUORUM);
				}
				case FAILED -> {
					this.failed = true;
					this.writer.state(ProcessState.FAILED);
				}
			}
		});
	}

	@Override
	public void healthCheckingStarted(int instanceId) {
		if (this.waitingForQuorum) {
			// Quorum came, no message did: libsam leaves last_updated at the start
			// request's time.
			this.waitingForQuorum = false;
			return;
		}
		touch();
	}

	@Override
	public void healthCheckingStopped(int instanceId) {
		touch();
	}

	@Override
	public void instanceHealthy(int instanceId) {
		touch();
	}

	@Override
	public void endingDecided(int instanceId, EndCause cause, String detail) {
		if (cause == EndCause.MARKED_FAILED) {
			// markFailed() is a message from the instance: libsam refreshes last_updated
			// for it too.
			touch();
		}
	}

	@Override
	public void supervisorExiting(int status, boolean failed) {
		safely(() -> {
			if (this.exited) {
				return;
			}
			this.exited = true;
			if (failed || this.failed) {
				this.failed = true;
				this.writer.state(ProcessState.FAILED);
			}
			else {
				this.writer.deleteAll();
			}
			if (!this.writer.close(EXIT_WAIT)) {
				this.log.warn("corosync's CMAP did not take the last update of " + keyPrefix() + "* within "
						+ EXIT_WAIT.toSeconds() + "s");
			}
		});
	}

	/** Waits until every update recorded so far has been tried (for tests). */
	boolean flush(Duration timeout) {
		return this.writer.flush(timeout);
	}

	private void touch() {
		safely(() -> this.writer.lastUpdated(this.nanoTime.getAsLong()));
	}

	private void safely(Runnable action) {
		try {
			action.run();
		}
		catch (RuntimeException | LinkageError ex) {
			String message = "could not record a CMAP update for " + keyPrefix() + "*: " + ex;
			if (!message.equals(this.problem)) {
				this.problem = message;
				this.log.warn(message);
			}
		}
	}

}
