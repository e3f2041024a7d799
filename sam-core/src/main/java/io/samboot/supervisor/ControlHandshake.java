package io.samboot.supervisor;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.samboot.JvmSwitch;
import io.samboot.log.SamLog;
import io.samboot.protocol.FrameChannel;
import io.samboot.protocol.HandshakeProofs;
import io.samboot.protocol.Message;
import io.samboot.protocol.ProtocolException;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * Whether a new connection to the control socket is the instance the supervisor launched
 * last: it must come from this user and, within {@link #TIMEOUT} and in frames no larger
 * than {@link FrameChannel#HANDSHAKE_FRAME_LIMIT}, send a {@link Message.Challenge}
 * naming an {@link ExpectedInstance} (which this side answers with its own proof of that
 * instance's secret), then a {@link Message.Hello} with the instance's proof of the
 * secret ({@link HandshakeProofs}) and that instance's PID. The secret never crosses the
 * socket. Each secret admits one connection. A connection that fails is logged and closed
 * ({@link #refuse}); supervision is not affected.
 *
 * <p>
 * The {@link ControlServer} runs the steps in order, on the connection's own thread, and
 * keeps to itself the rule that only one instance is connected at a time.
 */
final class ControlHandshake {

	/**
	 * Time a new connection has to say hello; {@code -Dsam.control.handshake-timeout-ms}
	 * changes it (tests).
	 */
	static final Duration TIMEOUT = Duration.ofMillis(JvmSwitch.CONTROL_HANDSHAKE_TIMEOUT_MS.numberOrDefault());

	/** How long the timer's thread outlives the last deadline. */
	private static final Duration TIMER_IDLE = Duration.ofSeconds(2);

	private final DirectoryOwner owner;

	private final SamLog log;

	/**
	 * Closes connections that are too slow to say hello: one thread for all of them,
	 * which ends a moment after the last deadline is met or cancelled, so that a
	 * supervisor whose instance is connected keeps no thread for it.
	 */
	private final ScheduledThreadPoolExecutor timer = idleEndingTimer();

	/**
	 * The instances expected, by id: the next one and, with a hot standby, the standby.
	 * An instance is removed once its secret is used up.
	 */
	private final Map<Integer, ExpectedInstance> expected = new ConcurrentHashMap<>();

	/**
	 * @param owner the user the control directory belongs to: the only one allowed to
	 * connect
	 * @param log where refusals go
	 */
	ControlHandshake(DirectoryOwner owner, SamLog log) {
		this.owner = owner;
		this.log = log;
		// Not on the first connection's clock: the proofs, and the peer check's socket
		// option (its class loads the JDK's native library for it).
		HandshakeProofs.warmUp();
		ExtendedSocketOptions.SO_PEERCRED.name();
	}

	/**
	 * The next connection for instance {@code instanceId} must prove this secret; the
	 * secret of an earlier instance that was never used is void.
	 */
	void expect(int instanceId, byte[] secret) {
		// An earlier instance that never used its secret has ended: it must not count.
		this.expected.keySet().removeIf((id) -> id < instanceId);
		this.expected.put(instanceId, new ExpectedInstance(instanceId, secret));
	}

	/** Instance {@code instanceId} has ended: a secret it did not use is void. */
	void forget(int instanceId) {
		this.expected.remove(instanceId);
	}

	/**
	 * The PID of the expected instance, known once it is spawned; ignored once its secret
	 * is used up.
	 */
	void expectPid(int instanceId, long pid) {
		ExpectedInstance current = this.expected.get(instanceId);
		if (current != null) {
			// A conditional replace, not a put: an expectation used up meanwhile must
			// not come back to life.
			this.expected.replace(instanceId, current, current.withPid(pid));
		}
	}

	private static ScheduledThreadPoolExecutor idleEndingTimer() {
		ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, (runnable) -> {
			Thread thread = new Thread(runnable, "sam-handshake-timer");
			thread.setDaemon(true);
			return thread;
		});
		// A cancelled deadline leaves the queue at once, not when it would have fired.
		timer.setRemoveOnCancelPolicy(true);
		timer.setKeepAliveTime(TIMER_IDLE.toMillis(), TimeUnit.MILLISECONDS);
		timer.allowCoreThreadTimeOut(true);
		return timer;
	}

	/** The timer's threads now: 1 while a deadline is pending, 0 soon after. */
	int timerThreads() {
		return this.timer.getPoolSize();
	}

	/**
	 * Closes the connection unless the handshake ends first (cancel the future returned).
	 */
	ScheduledFuture<?> deadline(SocketChannel channel) {
		return this.timer.schedule(() -> closeQuietly(channel), TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * The first two steps: the peer runs as this user, and its first frame is a challenge
	 * of this handshake version with a nonce of the right length.
	 * @return the challenge, or {@code null} after refusing the connection
	 */
	Message.Challenge readChallenge(SocketChannel channel, FrameChannel frames) {
		String problem = checkPeerUser(channel);
		if (problem != null) {
			refuse(channel, problem);
			return null;
		}
		Message first = read(channel, frames, "first frame", "saying hello");
		if (first == null) {
			return null;
		}
		if (!(first instanceof Message.Challenge challenge)) {
			refuse(channel, "first frame was " + first.getClass().getSimpleName() + ", not a hello (a challenge)");
			return null;
		}
		if (challenge.version() != HandshakeProofs.VERSION) {
			refuse(channel, "handshake version " + challenge.version() + ", this supervisor speaks "
					+ HandshakeProofs.VERSION + " (an instance of another SAM version?)");
			return null;
		}
		if (challenge.nonce().length != HandshakeProofs.LENGTH) {
			refuse(channel, "a nonce of " + challenge.nonce().length + " bytes, not " + HandshakeProofs.LENGTH);
			return null;
		}
		return challenge;
	}

	/**
	 * The third step: proves to the peer that this supervisor holds the secret of the
	 * instance it names, over its nonce and a fresh one of ours. The secret itself is not
	 * sent, and nothing is sent for an instance that is not expected.
	 * @return the connection's nonces, which the hello's proof must cover, or
	 * {@code null} after refusing the connection
	 */
	HandshakeProofs answer(SocketChannel channel, FrameChannel frames, Message.Challenge challenge) {
		ExpectedInstance expectation = this.expected.get(challenge.instanceId());
		if (expectation == null) {
			refuse(channel, "instance " + challenge.instanceId() + " is not expected");
			return null;
		}
		return answer(channel, frames, challenge, expectation);
	}

	/**
	 * The third step for a second connection of an instance already connected (its
	 * command connection): proves this supervisor holds the secret that instance was
	 * admitted with.
	 * @return the connection's nonces, or {@code null} after refusing the connection
	 */
	HandshakeProofs answer(SocketChannel channel, FrameChannel frames, Message.Challenge challenge,
			ExpectedInstance expectation) {
		HandshakeProofs proofs = new HandshakeProofs(challenge.instanceId(), challenge.nonce(),
				HandshakeProofs.nonce());
		try {
			frames.write(new Message.ChallengeAnswer(proofs.supervisorNonce(), expectation.supervisorProof(proofs)));
		}
		catch (IOException ex) {
			refuse(channel, "cannot answer the challenge: " + ex.getMessage());
			return null;
		}
		return proofs;
	}

	/**
	 * The fourth step: the frame after the challenge is a hello.
	 * @return the hello, or {@code null} after refusing the connection
	 */
	Message.Hello readHello(SocketChannel channel, FrameChannel frames) {
		Message next = read(channel, frames, "hello", "saying hello");
		if (next == null) {
			return null;
		}
		if (!(next instanceof Message.Hello hello)) {
			refuse(channel, "the frame after the challenge was " + next.getClass().getSimpleName() + ", not a hello");
			return null;
		}
		return hello;
	}

	/**
	 * The fourth step of a command connection: the frame after the challenge is a
	 * {@link Message.CommandHello} proving the secret of the connected instance.
	 * @return whether it does; the connection is refused if not
	 */
	boolean readCommandHello(SocketChannel channel, FrameChannel frames, HandshakeProofs proofs,
			ExpectedInstance connected) {
		Message next = read(channel, frames, "command hello", "asking for a command connection");
		if (next == null) {
			return false;
		}
		if (!(next instanceof Message.CommandHello hello)) {
			refuse(channel,
					"instance " + connected.instanceId() + " is already connected, and the frame after"
							+ " this challenge was " + next.getClass().getSimpleName()
							+ ", not a command hello (a second" + " connection)");
			return false;
		}
		String problem = connected.commandMismatch(hello, proofs);
		if (problem != null) {
			refuse(channel, problem);
			return false;
		}
		return true;
	}

	/**
	 * Whether the hello proves the secret of the instance its challenge named, and
	 * carries that instance's PID; refuses the connection if not. The secret is not used
	 * up: see {@link #claim}.
	 */
	boolean isExpected(SocketChannel channel, Message.Hello hello, HandshakeProofs proofs) {
		String problem = mismatch(this.expected.get(proofs.instanceId()), hello, proofs);
		if (problem != null) {
			refuse(channel, problem);
			return false;
		}
		return true;
	}

	/**
	 * Uses up the expected instance's secret for this hello, so that it cannot open a
	 * second session. Checks the hello once more against the expectation it uses up: the
	 * PID may have become known since {@link #isExpected}.
	 * @return the instance admitted, or {@code null} after refusing the connection
	 */
	ExpectedInstance claim(SocketChannel channel, Message.Hello hello, HandshakeProofs proofs) {
		while (true) {
			ExpectedInstance current = this.expected.get(proofs.instanceId());
			String problem = mismatch(current, hello, proofs);
			if (problem != null) {
				refuse(channel, problem);
				return null;
			}
			if (this.expected.remove(current.instanceId(), current)) {
				return current;
			}
		}
	}

	/** Logs why a connection is refused and closes it. */
	void refuse(SocketChannel channel, String reason) {
		this.log.warn("refused a connection on the control channel: " + reason + "; supervision goes on");
		closeQuietly(channel);
	}

	/**
	 * Stops the timer thread, dropping the deadlines of connections still in their
	 * handshake (on closing).
	 */
	void close() {
		this.timer.shutdownNow();
	}

	/**
	 * The next frame, or {@code null} after refusing the connection.
	 * @param what the frame's name in a refusal
	 * @param doing what the peer did not do in time, in a refusal
	 */
	private Message read(SocketChannel channel, FrameChannel frames, String what, String doing) {
		Message message;
		try {
			message = frames.read();
		}
		catch (ProtocolException ex) {
			refuse(channel, "malformed " + what + ": " + ex.getMessage());
			return null;
		}
		catch (IOException ex) {
			refuse(channel, channel.isOpen() ? "truncated " + what + ": " + ex.getMessage()
					: "no hello within " + TIMEOUT.toMillis() + "ms");
			return null;
		}
		if (message == null) {
			refuse(channel, "closed before " + doing);
		}
		return message;
	}

	private static String mismatch(ExpectedInstance expectation, Message.Hello hello, HandshakeProofs proofs) {
		return (expectation != null) ? expectation.mismatch(hello, proofs) : ExpectedInstance.wrongSecret(hello);
	}

	private String checkPeerUser(SocketChannel channel) {
		try {
			UnixDomainPrincipal principal = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
			return this.owner.mismatch(principal.user());
		}
		catch (UnsupportedOperationException | IOException ex) {
			// Without peer credentials the directory's permissions and the secret still
			// guard the channel.
			return null;
		}
	}

	static void closeQuietly(SocketChannel channel) {
		try {
			channel.close();
		}
		catch (IOException ex) {
			// Nothing more to do for a connection being refused.
		}
	}

}
