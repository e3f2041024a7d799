package io.samboot.supervisor;

import java.util.function.Consumer;

import io.samboot.SamSettings;

/**
 * The supervisor's link to the cluster, made once, when an instance first asks for it in
 * its settings: corosync's quorum, whose changes the loop hears as events, and the CMAP
 * publisher, which is one more listener. Used on the loop thread only.
 */
final class ClusterLink {

	private final long supervisorPid;

	private final Consumer<Boolean> quorumChanges;

	private final Consumer<SupervisorListener> publishers;

	private ClusterServices services = ClusterServices.NONE;

	private QuorumSource quorum;

	/** The cluster's quorum, {@code null} while quorum is not used or not yet known. */
	private Boolean quorate;

	private boolean cmapPublishing;

	/**
	 * @param quorumChanges where the quorum source reports, from a thread of its own
	 * @param publishers where the CMAP publisher goes, to hear what the loop does
	 */
	ClusterLink(long supervisorPid, Consumer<Boolean> quorumChanges, Consumer<SupervisorListener> publishers) {
		this.supervisorPid = supervisorPid;
		this.quorumChanges = quorumChanges;
		this.publishers = publishers;
	}

	/** Where quorum and CMAP come from; {@link ClusterServices#NONE} until set. */
	void services(ClusterServices services) {
		this.services = services;
	}

	/**
	 * Connects the cluster services the settings ask for, each once per supervisor.
	 * @return what went wrong, or {@code null}
	 */
	String connect(SamSettings settings) {
		try {
			if (settings.quorum() && this.quorum == null) {
				this.quorum = this.services.quorum();
				this.quorum.start(this.quorumChanges);
			}
			if (settings.cmap() && !this.cmapPublishing) {
				this.publishers.accept(this.services.cmap(this.supervisorPid));
				this.cmapPublishing = true;
			}
			return null;
		}
		catch (RuntimeException ex) {
			return "corosync " + ((ex instanceof ClusterServices.ClusterUnavailableException unavailable)
					? unavailable.service() : "integration") + ", which is unavailable: " + ex.getMessage();
		}
	}

	/**
	 * Records what the quorum source reported.
	 * @return whether that is news: the first report, or a change
	 */
	boolean quorateNow(boolean quorate) {
		Boolean before = this.quorate;
		this.quorate = quorate;
		return before == null || before != quorate;
	}

	/** Whether the cluster is known to be quorate. */
	boolean isQuorate() {
		return Boolean.TRUE.equals(this.quorate);
	}

	/** The cluster's quorum for the status, {@code null} while not known. */
	Boolean quorate() {
		return this.quorate;
	}

	/** Disconnects from the quorum service, if it was connected. */
	void close() {
		if (this.quorum != null) {
			this.quorum.close();
		}
	}

}
