package io.samboot.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.samboot.EndCause;
import io.samboot.InstanceRecord;
import io.samboot.RecoveryPolicy;
import io.samboot.SamClient;
import io.samboot.SamException;
import io.samboot.SamState;
import io.samboot.SamStatus;

/**
 * A {@link SamClient} whose answers the test decides, counting the actions it is asked
 * for.
 */
public class FakeSamClient implements SamClient {

	public volatile SamState state = SamState.STARTED;

	public volatile int instanceId = 3;

	public volatile int restartCount = 2;

	public volatile boolean supervised = true;

	public volatile Boolean quorate;

	/** When set, {@link #status()} fails with it, as a silent supervisor's would. */
	public volatile SamException statusFailure;

	/** How many times {@link #status()} was called. */
	public final java.util.concurrent.atomic.AtomicInteger statusCalls = new java.util.concurrent.atomic.AtomicInteger();

	public volatile byte[] data = new byte[0];

	public volatile Instant lastUpdated = Instant.parse("2026-01-02T03:04:05Z");

	public final List<InstanceRecord> history = new ArrayList<>();

	public final AtomicInteger restartRequests = new AtomicInteger();

	public final AtomicInteger markFailedCalls = new AtomicInteger();

	public FakeSamClient() {
		this.history.add(new InstanceRecord(1, 101, Instant.parse("2026-01-02T03:00:00Z"),
				Instant.parse("2026-01-02T03:01:00Z"), EndCause.EXITED, 137, "SIGKILL", null));
		this.history.add(
				new InstanceRecord(2, 102, Instant.parse("2026-01-02T03:01:01Z"), Instant.parse("2026-01-02T03:02:00Z"),
						EndCause.HEALTH_CHECK_FAILED, 143, "SIGTERM", "ChaosController#healthy: returned false"));
	}

	@Override
	public int instanceId() {
		return this.instanceId;
	}

	@Override
	public int restartCount() {
		return this.restartCount;
	}

	@Override
	public SamState state() {
		return this.state;
	}

	@Override
	public boolean supervised() {
		return this.supervised;
	}

	@Override
	public void start() {
		this.state = SamState.STARTED;
	}

	@Override
	public void stop() {
		this.state = SamState.REGISTERED;
	}

	@Override
	public void hcSend() {
	}

	@Override
	public void warnSignalSet(String signal) {
	}

	@Override
	public void dataStore(byte[] data) {
		this.data = (data != null) ? data.clone() : new byte[0];
	}

	@Override
	public byte[] dataRestore() {
		return this.data.clone();
	}

	@Override
	public int dataGetSize() {
		return this.data.length;
	}

	@Override
	public void markFailed() {
		this.markFailedCalls.incrementAndGet();
		this.state = SamState.FAILED;
	}

	@Override
	public SamStatus status() {
		this.statusCalls.incrementAndGet();
		if (this.statusFailure != null) {
			throw this.statusFailure;
		}
		return new SamStatus(this.state, this.instanceId, this.restartCount, RecoveryPolicy.RESTART,
				Duration.ofSeconds(5), this.lastUpdated, "SIGTERM", 4242, 4200, this.quorate, this.data.length,
				this.history);
	}

	@Override
	public void requestRestart() {
		this.restartRequests.incrementAndGet();
	}

}
