package io.samboot.supervisor;

/**
 * Creates the cluster integrations an instance asks for in its settings ({@code sam.quorum.enabled},
 * {@code sam.cmap.enabled}). The supervisor calls it when the first instance registers.
 */
public interface ClusterServices {

    /** No cluster: asking for quorum or CMAP fails with an explanation. */
    ClusterServices NONE = new ClusterServices() {
        @Override
        public QuorumSource quorum() {
            throw new ClusterUnavailableException("quorum", "no cluster integration is on the class path");
        }

        @Override
        public SupervisorListener cmap(long supervisorPid) {
            throw new ClusterUnavailableException("cmap", "no cluster integration is on the class path");
        }
    };

    /** corosync's quorum; throws {@link ClusterUnavailableException} saying what to install or start. */
    QuorumSource quorum();

    /**
     * A listener that publishes {@code resources.process.<supervisorPid>.*} in corosync's CMAP;
     * throws {@link ClusterUnavailableException} saying what to install or start.
     */
    SupervisorListener cmap(long supervisorPid);

    /** A cluster integration that cannot work here, with what to do about it. */
    final class ClusterUnavailableException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        private final String service;

        public ClusterUnavailableException(String service, String message) {
            super(message);
            this.service = service;
        }

        public ClusterUnavailableException(String service, String message, Throwable cause) {
            super(message, cause);
            this.service = service;
        }

        /** {@code quorum} or {@code cmap}. */
        public String service() {
            return this.service;
        }
    }
}
