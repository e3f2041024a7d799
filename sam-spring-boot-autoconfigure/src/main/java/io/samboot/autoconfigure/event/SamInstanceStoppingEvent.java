package io.samboot.autoconfigure.event;

import io.samboot.EndCause;

import org.springframework.context.ApplicationEvent;

/**
 * Published when the supervisor is about to stop this instance, as it says before its
 * first signal: a recovery ({@code health-check-timeout}, {@code health-check-failed},
 * {@code startup-timeout}, {@code quorum-lost}), a requested restart,
 * {@code markFailed()} or the supervisor's own shutdown. Published on SAM's event thread,
 * so the shutdown the signal starts may already be under way; with
 * {@code warn-signal: KILL} the JVM may be gone before a listener runs. For a last word,
 * not for work that must finish.
 */
public class SamInstanceStoppingEvent extends ApplicationEvent {

	private final EndCause cause;

	private final String detail;

	public SamInstanceStoppingEvent(Object source, EndCause cause, String detail) {
		super(source);
		this.cause = cause;
		this.detail = detail;
	}

	/** Why, as the history will record it. */
	public EndCause getCause() {
		return this.cause;
	}

	/** The failing check and why, or {@code null}. */
	public String getDetail() {
		return this.detail;
	}

}
