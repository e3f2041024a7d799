package io.samboot.supervisor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.samboot.SamSettings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Where supervision stands as a whole, and how the supervisor exits. */
class SupervisionTests {

	private final List<String> order = new ArrayList<>();

	private final RecordingListener listener = new RecordingListener();

	private final FakeControlChannel channel = new FakeControlChannel();

	private final CapturedLog log = new CapturedLog();

	private final ClusterLink cluster = new ClusterLink(1000, quorate -> {
	}, added -> {
	});

	private final Supervision supervision = new Supervision(this.listener, this.cluster, this.channel,
			status -> this.order.add("exit " + status + (this.channel.closed ? " after the channel closed" : "")),
			this.log.log);

	@Test
	void supervisionBeginsNeitherShuttingDownNorEnded() {
		assertThat(this.supervision.isShuttingDown()).isFalse();
		assertThat(this.supervision.hasExited()).isFalse();
		assertThat(this.supervision.hasGivenUp()).isFalse();
	}

	@Test
	void aShutdownIsNotYetAnExit() {
		this.supervision.shutDown();

		assertThat(this.supervision.isShuttingDown()).isTrue();
		assertThat(this.supervision.hasExited()).isFalse();
	}

	@Test
	void anExitSaysSoTellsTheListenersAndExitsLastWithTheStatus() {
		this.supervision.exit(143, false, 2);

		assertThat(this.log.lines()).containsExactly("INFO supervisor exits with status 143");
		assertThat(this.listener.heard).containsExactly("exiting 143 false");
		assertThat(this.order).containsExactly("exit 143 after the channel closed");
		assertThat(this.supervision.hasExited()).isTrue();
		assertThat(this.supervision.hasGivenUp()).isFalse();
	}

	@Test
	void givingUpTellsTheFailedStateOfTheLastInstanceFirst() {
		this.supervision.exit(1, true, 3);

		assertThat(this.log.lines()).containsExactly("INFO supervisor exits with status 1 (state failed)");
		assertThat(this.listener.heard).containsExactly("state 3 FAILED", "exiting 1 true");
		assertThat(this.supervision.hasExited()).isTrue();
		assertThat(this.supervision.hasGivenUp()).isTrue();
	}

	@Test
	void anExitDisconnectsFromQuorumBeforeTheProcessEnds() {
		ClusterLink connected = new ClusterLink(1000, quorate -> {
		}, added -> {
		});
		connected.services(new ClusterServices() {
			@Override
			public void checkAvailable(boolean quorum, boolean cmap) {
			}

			@Override
			public QuorumSource quorum() {
				return new QuorumSource() {
					@Override
					public void start(Consumer<Boolean> changes) {
					}

					@Override
					public void close() {
						SupervisionTests.this.order.add("quorum closed");
					}
				};
			}

			@Override
			public SupervisorListener cmap(long supervisorPid) {
				return SupervisorListener.NO_OP;
			}
		});
		connected.connect(SamSettings.builder().quorum(true).build());

		new Supervision(this.listener, connected, this.channel, status -> this.order.add("exit " + status),
				this.log.log)
			.exit(0, false, 1);

		assertThat(this.order).containsExactly("quorum closed", "exit 0");
	}

}
