package io.samboot.autoconfigure.event;

import org.springframework.context.ApplicationEvent;

/**
 * Published when the supervisor enforces the time interval from now on: right after
 * {@code ApplicationReadyEvent} (once quorum is there, with {@code sam.quorum.enabled}),
 * on the main thread. Not published when the application runs unsupervised, with
 * {@code sam.enabled=false}, or when health checking is not started.
 */
public class SamHealthCheckingStartedEvent extends ApplicationEvent {

	private final int instanceId;

	public SamHealthCheckingStartedEvent(Object source, int instanceId) {
		super(source);
		this.instanceId = instanceId;
	}

	public int getInstanceId() {
		return this.instanceId;
	}

}
