package io.samboot.autoconfigure.event;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import io.samboot.EndCause;
import io.samboot.InstanceRecord;
import io.samboot.SamClient;
import io.samboot.SupervisorNoticeListener;

import org.springframework.context.ApplicationEvent;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Turns what SAM learns into Spring application events of the context: the registration
 * and the start of health checking on the caller's thread (the main thread), the
 * supervisor's notices on a thread of its own, because they arrive on the control
 * channel's reader thread, which a blocking listener must never hold up (health checks
 * are read there too).
 */
public final class SamEventPublisher implements SupervisorNoticeListener {

	private final ConfigurableApplicationContext context;

	private final ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> {
		Thread daemon = new Thread(runnable, "sam-events");
		daemon.setDaemon(true);
		return daemon;
	});

	public SamEventPublisher(ConfigurableApplicationContext context) {
		this.context = context;
	}

	/**
	 * Publishes {@link SamInstanceRegisteredEvent}, with the instance before this one
	 * from the supervisor's history. A status the supervisor cannot give (the channel
	 * failing) leaves it out rather than fail the application's start.
	 */
	public void registered(SamClient client) {
		List<InstanceRecord> history;
		try {
			history = client.status().history();
		}
		catch (RuntimeException ex) {
			history = List.of();
		}
		registered(client.instanceId(), client.restartCount(), history);
	}

	/**
	 * The previous instance is the one with the id just below: ids grow by one per
	 * launch, and a promoted standby's predecessor may still be stopping, with no record
	 * yet (then none, rather than an older instance's).
	 */
	void registered(int instanceId, int restartCount, List<InstanceRecord> history) {
		InstanceRecord previous = null;
		for (InstanceRecord record : history) {
			if (record.instanceId() == instanceId - 1) {
				previous = record;
			}
		}
		this.context.publishEvent(new SamInstanceRegisteredEvent(this.context, instanceId, restartCount, previous));
	}

	/** Publishes {@link SamHealthCheckingStartedEvent}. */
	public void healthCheckingStarted(int instanceId) {
		this.context.publishEvent(new SamHealthCheckingStartedEvent(this.context, instanceId));
	}

	@Override
	public void quorumLost() {
		later(new SamQuorumLostEvent(this.context));
	}

	@Override
	public void quorumRegained() {
		later(new SamQuorumRegainedEvent(this.context));
	}

	@Override
	public void stopping(EndCause cause, String detail) {
		later(new SamInstanceStoppingEvent(this.context, cause, detail));
	}

	/** Stops publishing: the context is closing. */
	public void close() {
		this.thread.shutdown();
	}

	private void later(ApplicationEvent event) {
		try {
			this.thread.execute(() -> {
				if (this.context.isActive()) {
					this.context.publishEvent(event);
				}
			});
		}
		catch (RejectedExecutionException closed) {
			// The context is closing: nobody is left to hear it.
		}
	}

}
