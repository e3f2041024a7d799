package io.samboot.protocol;

import java.io.IOException;
import java.util.Map;

/**
 * The instance's side of the handshake for tests that play the instance on a real
 * supervisor's socket: the challenge, the check of the supervisor's proof, the hello with
 * the instance's proof. What {@code InstanceConnection} does, without its threads.
 */
public final class InstanceHandshake {

	private InstanceHandshake() {
	}

	/**
	 * Challenges the supervisor and, if it proves it holds {@code secret}, says hello.
	 * @throws IllegalStateException if the supervisor's proof is wrong
	 * @throws IOException if the channel fails or closes
	 */
	public static void sayHello(FrameChannel frames, int instanceId, byte[] secret, long pid,
			Map<String, String> settings) throws IOException {
		HandshakeProofs proofs = challenge(frames, instanceId, secret);
		frames.write(new Message.Hello(proofs.byInstance(secret), pid, settings));
	}

	/**
	 * Sends a challenge for {@code instanceId} and checks the answer.
	 * @return the connection's nonces
	 */
	public static HandshakeProofs challenge(FrameChannel frames, int instanceId, byte[] secret) throws IOException {
		byte[] nonce = HandshakeProofs.nonce();
		frames.write(new Message.Challenge(HandshakeProofs.VERSION, instanceId, nonce));
		Message answer = frames.read();
		if (!(answer instanceof Message.ChallengeAnswer challengeAnswer)) {
			throw new IOException("the supervisor answered the challenge with " + answer);
		}
		HandshakeProofs proofs = new HandshakeProofs(instanceId, nonce, challengeAnswer.nonce());
		if (!HandshakeProofs.same(proofs.bySupervisor(secret), challengeAnswer.proof())) {
			throw new IllegalStateException("the supervisor's proof is wrong");
		}
		return proofs;
	}

}
