package io.samboot.supervisor;

import java.util.function.IntConsumer;

import io.samboot.SamState;
import io.samboot.log.SamLog;

/**
 * Where supervision stands as a whole (the current instance's own phase is
 * {@link SupervisedInstance.Phase}), and its end: the supervisor exits once, after the
 * listeners have heard of it and the cluster link and the channel are closed. Used on the
 * loop thread only.
 */
final class Supervision {

	private enum Stage {

		/** Instances are launched, and recovered as the policy says. */
		SUPERVISING,
		/**
		 * SIGTERM or SIGINT arrived: the current instance is stopping and no other
		 * follows.
		 */
		SHUTTING_DOWN,
		/** The supervisor exited with the last instance's status. */
		EXITED,
		/** The supervisor exited having given up (state failed). */
		FAILED

	}

	private final SupervisorListener listeners;

	private final ClusterLink cluster;

	private final ControlChannel channel;

	private final IntConsumer exit;

	private final SamLog log;

	private Stage stage = Stage.SUPERVISING;

	/**
	 * @param exit ends the process with a status ({@code System::exit}, as a rule)
	 */
	Supervision(SupervisorListener listeners, ClusterLink cluster, ControlChannel channel, IntConsumer exit,
			SamLog log) {
		this.listeners = listeners;
		this.cluster = cluster;
		this.channel = channel;
		this.exit = exit;
		this.log = log;
	}

	/** SIGTERM or SIGINT arrived: no instance follows the current one. */
	void shutDown() {
		this.stage = Stage.SHUTTING_DOWN;
	}

	boolean isShuttingDown() {
		return this.stage == Stage.SHUTTING_DOWN;
	}

	/**
	 * Ends supervision: says so in the log, tells the listeners (state failed first, when
	 * it gave up), closes the cluster link and the channel, and exits with this status.
	 * @param lastInstanceId the instance the failed state is told for
	 */
	void exit(int status, boolean gaveUp, int lastInstanceId) {
		this.stage = gaveUp ? Stage.FAILED : Stage.EXITED;
		this.log.info("supervisor exits with status " + status + (gaveUp ? " (state failed)" : ""));
		if (gaveUp) {
			this.listeners.stateChanged(lastInstanceId, SamState.FAILED);
		}
		this.listeners.supervisorExiting(status, gaveUp);
		this.cluster.close();
		this.channel.close();
		this.exit.accept(status);
	}

	boolean hasExited() {
		return this.stage == Stage.EXITED || this.stage == Stage.FAILED;
	}

	/** Whether the supervisor exited having given up (state failed). */
	boolean hasGivenUp() {
		return this.stage == Stage.FAILED;
	}

}
