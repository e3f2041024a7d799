package io.samboot.supervisor;

import io.samboot.EndCause;
import io.samboot.protocol.Message;

/**
 * Tells the active instance what is about to happen to it ({@link Message.Notice}), so
 * that the application can react without polling its status: quorum lost and regained,
 * and that the supervisor is about to stop it (with the cause), sent before the first
 * signal. Called on the loop thread, as every {@link SupervisorListener}; the channel
 * drops a message for an instance that is not connected.
 */
final class InstanceNotices implements SupervisorListener {

	private final ControlChannel channel;

	InstanceNotices(ControlChannel channel) {
		this.channel = channel;
	}

	@Override
	public void quorumChanged(int instanceId, boolean quorate) {
		if (instanceId > 0) {
			this.channel.send(instanceId, new Message.Notice(
					quorate ? Message.Notice.QUORUM_REGAINED : Message.Notice.QUORUM_LOST, null, null));
		}
	}

	@Override
	public void endingDecided(int instanceId, EndCause cause, String detail) {
		this.channel.send(instanceId, new Message.Notice(Message.Notice.STOPPING, cause.id(), detail));
	}

}
