package io.samboot.corosync;

import java.util.ServiceLoader;

import io.samboot.supervisor.ClusterServices;
import io.samboot.supervisor.QuorumSource;
import io.samboot.supervisor.SupervisorListener;
import io.samboot.testsupport.CorosyncNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The supervisor finds the corosync services as {@code Supervisor} looks them up. */
@Tag("process")
@Tag("corosync")
class CorosyncClusterServicesProcessTests {

	@Test
	void theSupervisorFindsThemThroughTheServiceLoader() {
		ClusterServices services = ServiceLoader.load(ClusterServices.class, ClusterServices.class.getClassLoader())
			.findFirst()
			.orElse(ClusterServices.NONE);
		assertThat(services).isInstanceOf(CorosyncClusterServices.class);
	}

	@Test
	void creatingThemConnectsNothing() {
		assumeTrue(CorosyncNode.CorosyncLibrariesProbe.loadable(),
				"corosync's client libraries are missing: " + CorosyncNode.INSTALL);
		ClusterServices services = new CorosyncClusterServices();
		QuorumSource quorum = services.quorum();
		assertThat(quorum).isInstanceOf(CorosyncQuorumSource.class);
		quorum.close();
		SupervisorListener cmap = services.cmap(4242);
		assertThat(cmap).isInstanceOf(CmapPublisher.class);
		assertThat(((CmapPublisher) cmap).keyPrefix()).isEqualTo("resources.process.4242.");
	}

}
