package io.samboot.supervisor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.samboot.SamSettings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The supervisor's link to quorum and CMAP. */
class ClusterLinkTests {

	private final List<Boolean> reported = new ArrayList<>();

	private final List<SupervisorListener> publishers = new ArrayList<>();

	private final FakeQuorum quorum = new FakeQuorum();

	private final SupervisorListener cmapPublisher = new SupervisorListener() {
	};

	private final List<Long> cmapPids = new ArrayList<>();

	private final ClusterLink link = new ClusterLink(1000, this.reported::add, this.publishers::add);

	ClusterLinkTests() {
		this.link.services(new ClusterServices() {
			@Override
			public void checkAvailable(boolean quorum, boolean cmap) {
			}

			@Override
			public QuorumSource quorum() {
				return ClusterLinkTests.this.quorum;
			}

			@Override
			public SupervisorListener cmap(long supervisorPid) {
				ClusterLinkTests.this.cmapPids.add(supervisorPid);
				return ClusterLinkTests.this.cmapPublisher;
			}
		});
	}

	@Test
	void settingsThatAskForNoClusterConnectNothing() {
		assertThat(this.link.connect(SamSettings.defaults())).isNull();

		assertThat(this.quorum.starts).isZero();
		assertThat(this.publishers).isEmpty();
	}

	@Test
	void quorumIsStartedOnceAndItsReportsGoWhereTheLinkWasToldTo() {
		this.link.connect(settings(true, false));
		this.link.connect(settings(true, false));

		this.quorum.changes.accept(true);

		assertThat(this.quorum.starts).isEqualTo(1);
		assertThat(this.reported).containsExactly(true);
	}

	@Test
	void theCmapPublisherIsAddedOnceWithTheSupervisorsPid() {
		this.link.connect(settings(false, true));
		this.link.connect(settings(false, true));

		assertThat(this.publishers).containsExactly(this.cmapPublisher);
		assertThat(this.cmapPids).containsExactly(1000L);
	}

	@Test
	void anUnavailableServiceIsNamedInTheProblem() {
		ClusterLink without = new ClusterLink(1000, this.reported::add, this.publishers::add);

		String problem = without.connect(settings(false, true));

		assertThat(problem).startsWith("corosync cmap, which is unavailable: ")
			.contains("no cluster integration is on the class path");
	}

	@Test
	void aFailureThatIsNotAboutAServiceIsTheIntegrations() {
		this.link.services(new ClusterServices() {
			@Override
			public void checkAvailable(boolean quorum, boolean cmap) {
			}

			@Override
			public QuorumSource quorum() {
				throw new IllegalStateException("broken");
			}

			@Override
			public SupervisorListener cmap(long supervisorPid) {
				throw new IllegalStateException("broken");
			}
		});

		assertThat(this.link.connect(settings(true, false)))
			.isEqualTo("corosync integration, which is unavailable: broken");
	}

	@Test
	void theFirstReportIsNewsAndSoIsEveryChange() {
		assertThat(this.link.quorateNow(false)).isTrue();
		assertThat(this.link.quorateNow(false)).isFalse();
		assertThat(this.link.quorateNow(true)).isTrue();
	}

	@Test
	void quorumIsUnknownUntilReported() {
		assertThat(this.link.quorate()).isNull();
		assertThat(this.link.isQuorate()).isFalse();

		this.link.quorateNow(true);

		assertThat(this.link.quorate()).isTrue();
		assertThat(this.link.isQuorate()).isTrue();
	}

	@Test
	void closingDisconnectsAStartedQuorumSource() {
		this.link.connect(settings(true, false));

		this.link.close();

		assertThat(this.quorum.closed).isTrue();
	}

	@Test
	void closingWithoutQuorumDoesNothing() {
		this.link.close();

		assertThat(this.quorum.closed).isFalse();
	}

	private static SamSettings settings(boolean quorum, boolean cmap) {
		return SamSettings.builder().quorum(quorum).cmap(cmap).build();
	}

	private static final class FakeQuorum implements QuorumSource {

		int starts;

		Consumer<Boolean> changes;

		boolean closed;

		@Override
		public void start(Consumer<Boolean> changes) {
			this.starts++;
			this.changes = changes;
		}

		@Override
		public void close() {
			this.closed = true;
		}

	}

}
