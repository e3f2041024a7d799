package io.samboot.corosync;

import io.samboot.supervisor.ClusterServices;
import io.samboot.supervisor.QuorumSource;
import io.samboot.supervisor.SupervisorListener;

/**
 * The cluster services on corosync 3: {@link CorosyncQuorumSource} and
 * {@link CmapPublisher}. Found by the supervisor through {@link java.util.ServiceLoader}
 * ({@code META-INF/services}); creating it touches nothing native, so it never fails,
 * even without JNA.
 */
public final class CorosyncClusterServices implements ClusterServices {

	/**
	 * {@inheritDoc}
	 * <p>
	 * Loads the libraries asked for and connects to the daemon once, retrying while it
	 * says "try again", for at most 5 seconds each.
	 */
	@Override
	public void checkAvailable(boolean quorum, boolean cmap) {
		CorosyncAvailability.check(quorum, cmap);
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Only a missing library (or JNA) fails here; a daemon that is down is retried by the
	 * source, which reports the cluster as not quorate meanwhile.
	 */
	@Override
	public QuorumSource quorum() {
		try {
			return CorosyncQuorumSource.create();
		}
		catch (CorosyncUnavailableException ex) {
			throw new ClusterUnavailableException("quorum", ex.getMessage(), ex.problem(), ex.action(), ex);
		}
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Only a missing library (or JNA) fails here; the publisher connects when it first
	 * writes and reconnects when corosync comes back.
	 */
	@Override
	public SupervisorListener cmap(long supervisorPid) {
		try {
			return CmapPublisher.create(supervisorPid);
		}
		catch (CorosyncUnavailableException ex) {
			throw new ClusterUnavailableException("cmap", ex.getMessage(), ex.problem(), ex.action(), ex);
		}
	}

	@Override
	public String toString() {
		return "corosync (" + CorosyncLibraries.quorumName() + ", " + CorosyncLibraries.cmapName() + ")";
	}

}
