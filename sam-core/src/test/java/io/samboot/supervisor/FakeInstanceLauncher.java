package io.samboot.supervisor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Records every {@link InstanceLauncher.LaunchTicket} and returns an instance with PID
 * {@code 2000 + instanceId} whose exit future the test completes to simulate the process
 * ending.
 */
final class FakeInstanceLauncher implements InstanceLauncher {

	final List<LaunchTicket> tickets = new ArrayList<>();

	final List<LaunchedInstance> launched = new ArrayList<>();

	/** When set, the next launch fails with it (and the field is cleared). */
	IOException failNext;

	static long pidOf(int instanceId) {
		return 2000L + instanceId;
	}

	@Override
	public LaunchedInstance launch(LaunchTicket ticket) throws IOException {
		this.tickets.add(ticket);
		if (this.failNext != null) {
			IOException failure = this.failNext;
			this.failNext = null;
			throw failure;
		}
		LaunchedInstance instance = new LaunchedInstance(pidOf(ticket.instanceId()), new CompletableFuture<>());
		this.launched.add(instance);
		return instance;
	}

	LaunchTicket lastTicket() {
		return this.tickets.get(this.tickets.size() - 1);
	}

	/** The instance launched with this id. */
	LaunchedInstance instance(int instanceId) {
		return this.launched.stream()
			.filter(candidate -> candidate.pid() == pidOf(instanceId))
			.findFirst()
			.orElseThrow(() -> new AssertionError("instance " + instanceId + " was never launched"));
	}

}
