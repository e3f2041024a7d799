package io.samboot.instance;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.FileSystems;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;

import io.samboot.SamError;
import io.samboot.SamException;
import io.samboot.nativeaccess.CurrentUser;
import io.samboot.protocol.FrameChannel;
import io.samboot.protocol.HandshakeProofs;
import io.samboot.protocol.Message;
import jdk.net.ExtendedSocketOptions;

/**
 * The instance's check that the socket it connected to is its supervisor's, made before
 * it sends anything that matters. The socket's path alone proves nothing: another user
 * who can rename a directory on that path can put a listener of their own there. So the
 * peer must run as this process's own user ({@code SO_PEERCRED}, fixed by the kernel when
 * the peer called {@code listen}), and must prove it holds this instance's secret
 * ({@link HandshakeProofs}) before the instance gives its own proof, its settings or its
 * PID. Root is not taken for the supervisor either: the supervisor is the parent, started
 * with this user's uid, and accepting root would add an impostor, not a supervisor.
 *
 * <p>
 * A failed check is a {@link SamException} saying what was wrong; the caller closes the
 * connection, having sent at most the challenge (an instance id and a random nonce).
 */
final class SupervisorVerification {

	private SupervisorVerification() {
	}

	/**
	 * Refuses a peer that runs as another user. Where the JDK cannot read peer
	 * credentials (or this process's uid), the proof of the secret still guards the
	 * channel.
	 */
	static void checkPeerUser(SocketChannel channel, String path) {
		UserPrincipal peer;
		UserPrincipal self;
		OptionalLong ownUid = CurrentUser.uid();
		if (ownUid.isEmpty()) {
			return;
		}
		long uid = ownUid.getAsLong();
		try {
			peer = channel.getOption(ExtendedSocketOptions.SO_PEERCRED).user();
			// By uid: the JDK's Unix principals are equal exactly when their uids are,
			// and
			// a number that names no user is taken as the uid.
			self = FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(Long.toString(uid));
		}
		catch (UnsupportedOperationException | IOException ex) {
			return;
		}
		if (!peer.equals(self)) {
			throw new SamException(SamError.LIBRARY, "refusing the supervisor's socket " + path
					+ ": it is served by user " + peer.getName() + ", not by uid " + uid
					+ " like this process; another user may have replaced the socket or its directory (is a"
					+ " directory above it, such as XDG_RUNTIME_DIR, writable by another user?). Nothing was sent");
		}
	}

	/**
	 * Sends the challenge and checks the supervisor's answer.
	 * @return the connection's nonces, for the instance's own proof in its hello
	 * @throws SamException if the peer does not answer within {@code timeout} or does not
	 * prove it holds {@code secret}
	 */
	static HandshakeProofs challenge(SocketChannel channel, FrameChannel frames, String path, int instanceId,
			byte[] secret, Duration timeout) {
		return challenge(channel, frames, path, instanceId, secret, timeout, false);
	}

	/**
	 * As {@link #challenge}, for a supervisor that may refuse by closing the connection
	 * unanswered (it does so for a second connection it does not take).
	 * @return the connection's nonces, or {@code null} when the peer closed it without
	 * answering
	 */
	static HandshakeProofs challengeUnlessClosed(SocketChannel channel, FrameChannel frames, String path,
			int instanceId, byte[] secret, Duration timeout) {
		return challenge(channel, frames, path, instanceId, secret, timeout, true);
	}

	private static HandshakeProofs challenge(SocketChannel channel, FrameChannel frames, String path, int instanceId,
			byte[] secret, Duration timeout, boolean closedIsRefusal) {
		byte[] nonce = HandshakeProofs.nonce();
		Message answer;
		// A peer that never answers must not hold the instance's start-up for ever.
		AnswerDeadline deadline = AnswerDeadline.start(channel, timeout);
		try {
			frames.write(new Message.Challenge(HandshakeProofs.VERSION, instanceId, nonce));
			answer = frames.read();
		}
		catch (IOException ex) {
			throw notTheSupervisor(path, channel.isOpen() ? "the channel failed: " + ex.getMessage()
					: "no answer within " + timeout.toSeconds() + "s");
		}
		finally {
			deadline.answered();
		}
		if (answer == null && closedIsRefusal) {
			return null;
		}
		if (!(answer instanceof Message.ChallengeAnswer challengeAnswer)) {
			throw notTheSupervisor(path, "it answered the challenge with "
					+ ((answer != null) ? answer.getClass().getSimpleName() : "nothing (closed)"));
		}
		if (challengeAnswer.nonce().length != HandshakeProofs.LENGTH) {
			throw notTheSupervisor(path, "its nonce has " + challengeAnswer.nonce().length + " bytes");
		}
		HandshakeProofs proofs = new HandshakeProofs(instanceId, nonce, challengeAnswer.nonce());
		if (!HandshakeProofs.same(proofs.bySupervisor(secret), challengeAnswer.proof())) {
			throw notTheSupervisor(path, "its proof of this instance's secret is wrong");
		}
		return proofs;
	}

	private static SamException notTheSupervisor(String path, String what) {
		return new SamException(SamError.LIBRARY,
				"refusing the peer at " + path + ": it did not prove to be this instance's supervisor (" + what
						+ "). Nothing but a challenge was sent");
	}

	private static void closeQuietly(SocketChannel channel) {
		try {
			channel.close();
		}
		catch (IOException ex) {
			// Only a peer that does not answer is left to give up on.
		}
	}

	/**
	 * Closes the channel unless the supervisor answers within the time allowed: a thread
	 * that sleeps until then, ended by the answer. Not {@code CompletableFuture}'s
	 * delayed executor, whose first use in a JVM (its scheduler, its thread, and a
	 * common-pool thread for the task when the time is up) took the registration 3-10 ms
	 * on a busy machine.
	 */
	static final class AnswerDeadline extends Thread {

		private final SocketChannel channel;

		private final long millis;

		private final AtomicBoolean answered = new AtomicBoolean();

		private AnswerDeadline(SocketChannel channel, Duration timeout) {
			super("sam-handshake-deadline");
			this.channel = channel;
			this.millis = timeout.toMillis();
			setDaemon(true);
		}

		static AnswerDeadline start(SocketChannel channel, Duration timeout) {
			AnswerDeadline deadline = new AnswerDeadline(channel, timeout);
			deadline.start();
			return deadline;
		}

		/** The answer came (or the channel failed): nothing left to give up on. */
		void answered() {
			this.answered.set(true);
			interrupt();
		}

		@Override
		public void run() {
			try {
				Thread.sleep(this.millis);
			}
			catch (InterruptedException ex) {
				return;
			}
			if (!this.answered.get()) {
				closeQuietly(this.channel);
			}
		}

	}

}
