package io.samboot.supervisor;

import java.time.Instant;

import io.samboot.EndCause;
import io.samboot.InstanceRecord;
import io.samboot.SamSettings;
import io.samboot.SamState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The loop's listeners, told as one. */
class SupervisorListenersTests {

	private final CapturedLog log = new CapturedLog();

	private final SupervisorListeners listeners = new SupervisorListeners(this.log.log);

	private final RecordingListener first = new RecordingListener();

	private final RecordingListener second = new RecordingListener();

	@Test
	void everyListenerHearsEveryCallInOrder() {
		this.listeners.add(this.first);
		this.listeners.add(this.second);

		tellEverything();

		assertThat(this.first.heard).containsExactly("launched 1 2001", "registered 1", "state 1 REGISTERED",
				"started 1", "healthy 1", "stopped 1", "ending 1 SHUTDOWN", "ended 1 SHUTDOWN", "exiting 0 false");
		assertThat(this.second.heard).isEqualTo(this.first.heard);
	}

	@Test
	void aListenerThatThrowsIsLoggedAndTheOthersStillHear() {
		this.listeners.add(new ThrowingListener());
		this.listeners.add(this.first);

		tellEverything();

		assertThat(this.first.heard).hasSize(9);
		assertThat(this.log.lines()).hasSize(9)
			.allMatch(
					line -> line.equals("WARN listener ThrowingListener failed: java.lang.IllegalStateException: no"));
	}

	@Test
	void withoutListenersNothingHappens() {
		tellEverything();

		assertThat(this.log.lines()).isEmpty();
	}

	private void tellEverything() {
		this.listeners.instanceLaunched(1, 2001);
		this.listeners.instanceRegistered(1, SamSettings.defaults());
		this.listeners.stateChanged(1, SamState.REGISTERED);
		this.listeners.healthCheckingStarted(1);
		this.listeners.instanceHealthy(1);
		this.listeners.healthCheckingStopped(1);
		this.listeners.endingDecided(1, EndCause.SHUTDOWN, "SIGTERM to the supervisor");
		this.listeners
			.instanceEnded(new InstanceRecord(1, 2001, Instant.EPOCH, Instant.EPOCH, EndCause.SHUTDOWN, 0, null, null));
		this.listeners.supervisorExiting(0, false);
	}

	private static final class ThrowingListener implements SupervisorListener {

		@Override
		public void stateChanged(int instanceId, SamState state) {
			throw new IllegalStateException("no");
		}

		@Override
		public void instanceLaunched(int instanceId, long pid) {
			throw new IllegalStateException("no");
		}

		@Override
		public void instanceRegistered(int instanceId, SamSettings settings) {
			throw new IllegalStateException("no");
		}

		@Override
		public void healthCheckingStarted(int instanceId) {
			throw new IllegalStateException("no");
		}

		@Override
		public void healthCheckingStopped(int instanceId) {
			throw new IllegalStateException("no");
		}

		@Override
		public void instanceHealthy(int instanceId) {
			throw new IllegalStateException("no");
		}

		@Override
		public void endingDecided(int instanceId, EndCause cause, String detail) {
			throw new IllegalStateException("no");
		}

		@Override
		public void instanceEnded(InstanceRecord record) {
			throw new IllegalStateException("no");
		}

		@Override
		public void supervisorExiting(int status, boolean failed) {
			throw new IllegalStateException("no");
		}

	}

}
