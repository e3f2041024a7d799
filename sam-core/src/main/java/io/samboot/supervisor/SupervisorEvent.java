package io.samboot.supervisor;

import io.samboot.PosixSignal;
import io.samboot.protocol.Message;

/** Something that happened, for the supervisor loop to act on, on its one thread. */
sealed interface SupervisorEvent {

	/** The instance's process ended with this exit value (128 + N for signal N). */
	record InstanceExited(int instanceId, int exitValue) implements SupervisorEvent {
	}

	/** The instance proved who it is; its hello carries its settings. */
	record Connected(int instanceId, Message.Hello hello) implements SupervisorEvent {
	}

	/** A message from the authenticated instance. */
	record Received(int instanceId, Message message) implements SupervisorEvent {
	}

	/** The instance's channel closed (it exited, or sent something malformed). */
	record Disconnected(int instanceId) implements SupervisorEvent {
	}

	/**
	 * corosync's quorum changed (or is first known); a lost connection counts as not
	 * quorate.
	 */
	record QuorumChanged(boolean quorate) implements SupervisorEvent {
	}

	/**
	 * The HTTP liveness check sent at {@code sentNanos} (the loop's ticker) came back:
	 * {@code passed}, or not with {@code failure} saying why ({@code timedOut} when no
	 * answer came in time).
	 */
	record HttpChecked(int instanceId, long sentNanos, boolean passed, boolean timedOut,
			String failure) implements SupervisorEvent {
	}

	/** A signal reached the supervisor process. */
	record SignalReceived(PosixSignal signal) implements SupervisorEvent {
	}

}
