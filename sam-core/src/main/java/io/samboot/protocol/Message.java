package io.samboot.protocol;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * Everything that travels on the control channel between the supervisor and its instance.
 * Each message is one frame; {@link MessageCodec} turns them into bytes and back.
 *
 * <p>
 * The instance speaks first: a {@link Challenge}, which the supervisor answers with a
 * {@link ChallengeAnswer} proving it holds the instance's secret, then, only if that
 * proof is right, the {@link Hello} with the instance's own proof
 * ({@link HandshakeProofs}). After that it sends commands, each answered by exactly one
 * {@link Reply} (or {@link Welcome}/{@link Status}), and one-way {@link Heartbeat}s and
 * {@link HealthCheckResult}s. The supervisor sends {@link HealthCheckRequest}s on its
 * own. A connected instance may open one more connection, for its data stores
 * ({@link CommandHello}).
 */
public sealed interface Message {

	/**
	 * First frame of a connection: the instance asks the supervisor to prove it holds the
	 * secret of instance {@code instanceId}, over {@code nonce}, before the instance
	 * sends anything else.
	 *
	 * @param version the handshake's version ({@link HandshakeProofs#VERSION})
	 */
	record Challenge(int version, int instanceId, byte[] nonce) implements Message {
	}

	/**
	 * The supervisor's answer to a {@link Challenge}: its own nonce and its proof
	 * ({@link HandshakeProofs#bySupervisor}).
	 */
	record ChallengeAnswer(byte[] nonce, byte[] proof) implements Message {
	}

	/**
	 * Sent once the supervisor has proven itself: proves the peer is the instance the
	 * supervisor launched ({@link HandshakeProofs#byInstance}, never the secret itself)
	 * and gives its PID and settings.
	 */
	record Hello(byte[] proof, long pid, Map<String, String> settings) implements Message {
		public Hello {
			settings = Map.copyOf(settings);
		}
	}

	/**
	 * In place of a {@link Hello}, on a second connection of an instance already
	 * connected: asks for a command connection, on which the instance sends its data
	 * stores and reads each answer itself ({@link HandshakeProofs#byInstanceForCommands},
	 * over this connection's nonces). The supervisor accepts with an OK {@link Reply} and
	 * then takes nothing but {@link DataStore}s on it.
	 */
	record CommandHello(byte[] proof) implements Message {
	}

	/**
	 * Answer to {@link Hello}: the instance id, the supervisor's PID and the data kept
	 * for the instance.
	 */
	record Welcome(int instanceId, long supervisorPid, int restartCount, byte[] data) implements Message {
	}

	/**
	 * Health checking begins; {@code eventDriven} when the supervisor must request
	 * checks.
	 */
	record Start(boolean eventDriven) implements Message {
	}

	/** Health checking ends; the instance may now exit without being restarted. */
	record Stop() implements Message {
	}

	/** Application-driven health check ({@code hcSend}). One-way. */
	record Heartbeat() implements Message {
	}

	/** The supervisor asks for an event-driven health check. */
	record HealthCheckRequest(long sequence) implements Message {
	}

	/** The instance's answer to a {@link HealthCheckRequest}. One-way. */
	record HealthCheckResult(long sequence, Outcome outcome, String check, String reason,
			long durationNanos) implements Message {

		/** How a health check ended. */
		public enum Outcome {

			UP, DOWN, TIMEOUT, ERROR;

			public boolean healthy() {
				return this == UP;
			}

		}
	}

	/** Change the warning signal (by name, e.g. {@code SIGUSR1}). */
	record WarnSignalSet(String signal) implements Message {
	}

	/**
	 * Keep these bytes in the supervisor for later instances; {@code null} removes them.
	 */
	record DataStore(byte[] data) implements Message {
	}

	/**
	 * A data store as a {@link FrameReader} given {@link DirectDataBuffers} read it: its
	 * data in direct memory those buffers lent (position 0, limit the data's length),
	 * which the receiver keeps or gives back. On the wire it is a {@link DataStore}; it
	 * is never sent.
	 */
	record DataStoreRead(ByteBuffer data) implements Message {
	}

	/** End supervision: kill the instance at once and quit, state {@code failed}. */
	record MarkFailed() implements Message {
	}

	/** Ask for the supervisor's {@link Status}. */
	record StatusRequest() implements Message {
	}

	/** Finalize: health checking ends and no further commands come. */
	record Close() implements Message {
	}

	/** Ask for a graceful restart of this instance (as SIGHUP to the supervisor does). */
	record RestartRequest() implements Message {
	}

	/**
	 * A standby's answer to {@link Hello}: it is parked as the next instance, id
	 * {@code instanceId} once promoted; a {@link Welcome} promotes it (with the data as
	 * it is then). {@code restartCount} and {@code data} are what a promotion now would
	 * give.
	 */
	record StandbyWelcome(int instanceId, long supervisorPid, int restartCount, byte[] data) implements Message {
	}

	/**
	 * The standby has started all it can before serving and waits to be promoted.
	 * One-way.
	 */
	record StandbyReady() implements Message {
	}

	/**
	 * Ask for the listening socket the supervisor keeps for the web server on
	 * {@code host} (empty for every address) and {@code port}, sent as a descriptor to
	 * the Unix datagram socket {@code replyTo}; the {@link Reply}'s message is the port.
	 */
	record ListenSocketRequest(String host, int port, String replyTo) implements Message {
	}

	/**
	 * Where the supervisor's HTTP liveness check ({@code sam.health-check.http}) finds
	 * this instance's web server, once it listens: a loopback {@code http} URL. The
	 * {@link Reply} refuses any other.
	 */
	record HttpCheckUrl(String url) implements Message {
	}

	/**
	 * Write a thread dump of this JVM to {@code path} now: the supervisor is about to
	 * stop the instance for a missed health check. One-way, from the supervisor.
	 */
	record ThreadDumpRequest(String path) implements Message {
	}

	/**
	 * A {@link Start} that had to wait for quorum has completed: health checking is
	 * started. One-way, from the supervisor; the start's {@link Reply} said
	 * {@link Reply#WAITING_FOR_QUORUM} earlier.
	 */
	record QuorumStart() implements Message {
	}

	/**
	 * What is about to happen to the instance, for the application to hear of it:
	 * {@link #QUORUM_LOST}, {@link #QUORUM_REGAINED}, or {@link #STOPPING} with the
	 * {@link io.samboot.EndCause} id that ends it and why. One-way, from the supervisor,
	 * sent before it acts; an instance that does not know the kind ignores it.
	 */
	record Notice(String kind, String cause, String detail) implements Message {

		public static final String QUORUM_LOST = "quorum-lost";

		public static final String QUORUM_REGAINED = "quorum-regained";

		public static final String STOPPING = "stopping";

	}

	/**
	 * The answer to a command: {@code error} is {@code null} on success, else a
	 * {@link io.samboot.SamError} name.
	 */
	record Reply(String error, String message) implements Message {

		/** The message of the OK reply to a start that waits for quorum. */
		public static final String WAITING_FOR_QUORUM = "waiting-for-quorum";

		public static Reply ok() {
			return new Reply(null, null);
		}

		public boolean isOk() {
			return this.error == null;
		}
	}

	/**
	 * The supervisor's state, for {@link StatusRequest}. Timestamps in epoch
	 * milliseconds, -1 for none.
	 */
	record Status(String state, int instanceId, int restartCount, String recoveryPolicy, long pollPeriodMillis,
			long lastUpdatedEpochMillis, String warnSignal, long pid, long supervisorPid, int quorate, int dataSize,
			Map<String, String> details, List<HistoryEntry> history) implements Message {

		public Status {
			details = Map.copyOf(details);
			history = List.copyOf(history);
		}
	}

	/**
	 * One ended instance inside a {@link Status}. {@code signal} and {@code detail} may
	 * be {@code null}.
	 */
	record HistoryEntry(int instanceId, long pid, long startedEpochMillis, long endedEpochMillis, String cause,
			int exitStatus, String signal, String detail) {
	}

}
