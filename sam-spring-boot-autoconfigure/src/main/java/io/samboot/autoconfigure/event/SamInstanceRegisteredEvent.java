package io.samboot.autoconfigure.event;

import java.util.Optional;

import io.samboot.InstanceRecord;

import org.springframework.context.ApplicationEvent;

/**
 * Published once the context is refreshed, in a supervised instance: this JVM is instance
 * {@link #getInstanceId()}, and {@link #getPrevious()} says how the instance before it
 * ended ("I am instance 3; instance 2 ended with health-check-timeout"). Published on the
 * main thread, before {@code ApplicationReadyEvent}; not published when the application
 * runs unsupervised.
 */
public class SamInstanceRegisteredEvent extends ApplicationEvent {

	private final int instanceId;

	private final int restartCount;

	private final InstanceRecord previous;

	public SamInstanceRegisteredEvent(Object source, int instanceId, int restartCount, InstanceRecord previous) {
		super(source);
		this.instanceId = instanceId;
		this.restartCount = restartCount;
		this.previous = previous;
	}

	/** This JVM's instance id: 1 for the first instance, one more for every launch. */
	public int getInstanceId() {
		return this.instanceId;
	}

	/** How many times the supervisor started a new instance after the first. */
	public int getRestartCount() {
		return this.restartCount;
	}

	/**
	 * How the instance before this one ended (its cause, exit status, signal and detail),
	 * or empty for the first instance and for a promoted standby whose predecessor is
	 * still stopping.
	 */
	public Optional<InstanceRecord> getPrevious() {
		return Optional.ofNullable(this.previous);
	}

}
