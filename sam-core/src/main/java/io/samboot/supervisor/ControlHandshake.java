package io.samboot.supervisor;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.samboot.JvmSwitch;
import io.samboot.log.SamLog;
import io.samboot.protocol.FrameChannel;
import io.samboot.protocol.Message;
import io.samboot.protocol.ProtocolException;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * Whether a new connection to the control socket is the instance the supervisor launched
 * last: it must come from this user, send a {@link Message.Hello} no larger than
 * {@link FrameChannel#HANDSHAKE_FRAME_LIMIT} within {@link #TIMEOUT}, with the secret
 * handed to the {@link ExpectedInstance} and that instance's PID. Each secret admits one
 * connection. A connection that fails is logged and closed ({@link #refuse}); supervision
 * is not affected.
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

	private final DirectoryOwner owner;

	private final SamLog log;

	/** Closes connections that are too slow to say hello: one thread for all of them. */
	private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
		Thread thread = new Thread(runnable, "sam-handshake-timer");
		thread.setDaemon(true);
		return thread;
	});

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
	}

	/**
	 * The next connection for instance {@code instanceId} must present this secret; the
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

	/**
	 * Closes the connection unless the handshake ends first (cancel the future returned).
	 */
	ScheduledFuture<?> deadline(SocketChannel channel) {
		return this.timer.schedule(() -> closeQuietly(channel), TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * The first two steps: the peer runs as this user, and its first frame is a hello.
	 * @return the hello, or {@code null} after refusing the connection
	 */
	Message.Hello readHello(SocketChannel channel, FrameChannel frames) {
		String problem = checkPeerUser(channel);
		if (problem != null) {
			refuse(channel, problem);
			return null;
		}
		Message first;
		try {
			first = frames.read();
		}
		catch (ProtocolException ex) {
			refuse(channel, "malformed first frame: " + ex.getMessage());
			return null;
		}
		catch (IOException ex) {
			refuse(channel, channel.isOpen() ? "truncated first frame: " + ex.getMessage()
					: "no hello within " + TIMEOUT.toMillis() + "ms");
			return null;
		}
		if (first == null) {
			refuse(channel, "closed before saying hello");
			return null;
		}
		if (!(first instanceof Message.Hello hello)) {
			refuse(channel, "first frame was " + first.getClass().getSimpleName() + ", not a hello");
			return null;
		}
		return hello;
	}

	/**
	 * Whether the hello carries the expected instance's secret and PID; refuses the
	 * connection if not. The secret is not used up: see {@link #claim}.
	 */
	boolean isExpected(SocketChannel channel, Message.Hello hello) {
		String problem = mismatch(expectationFor(hello), hello);
		if (problem != null) {
			refuse(channel, problem);
			return false;
		}
		return true;
	}

	/**
	 * Uses up the expected instance's secret for this hello, so that a copy of it cannot
	 * open a second session. Checks the hello once more against the expectation it uses
	 * up: the PID may have become known since {@link #isExpected}.
	 * @return the instance admitted, or {@code null} after refusing the connection
	 */
	ExpectedInstance claim(SocketChannel channel, Message.Hello hello) {
		while (true) {
			ExpectedInstance current = expectationFor(hello);
			String problem = mismatch(current, hello);
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

	/** The expected instance whose secret the hello carries, or {@code null}. */
	private ExpectedInstance expectationFor(Message.Hello hello) {
		for (ExpectedInstance candidate : this.expected.values()) {
			if (candidate.hasSecret(hello.secret())) {
				return candidate;
			}
		}
		return null;
	}

	private static String mismatch(ExpectedInstance expectation, Message.Hello hello) {
		return (expectation != null) ? expectation.mismatch(hello) : ExpectedInstance.wrongSecret(hello);
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

	private static void closeQuietly(SocketChannel channel) {
		try {
			channel.close();
		}
		catch (IOException ex) {
			// Nothing more to do for a connection being refused.
		}
	}

}
