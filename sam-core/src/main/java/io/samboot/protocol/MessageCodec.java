package io.samboot.protocol;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import io.samboot.protocol.Message.Close;
import io.samboot.protocol.Message.DataStore;
import io.samboot.protocol.Message.HealthCheckRequest;
import io.samboot.protocol.Message.HealthCheckResult;
import io.samboot.protocol.Message.Heartbeat;
import io.samboot.protocol.Message.Hello;
import io.samboot.protocol.Message.HistoryEntry;
import io.samboot.protocol.Message.MarkFailed;
import io.samboot.protocol.Message.Reply;
import io.samboot.protocol.Message.RestartRequest;
import io.samboot.protocol.Message.Start;
import io.samboot.protocol.Message.Status;
import io.samboot.protocol.Message.StatusRequest;
import io.samboot.protocol.Message.Stop;
import io.samboot.protocol.Message.WarnSignalSet;
import io.samboot.protocol.Message.Welcome;

/**
 * Turns {@link Message}s into frame bodies and back: one type byte, then the fields in
 * order. Decoding validates everything and consumes the whole body, so anything that is
 * not exactly a message this version sends is refused with a {@link ProtocolException}.
 */
public final class MessageCodec {

	/** Read once: {@code values()} copies the array at every call, once per answer. */
	private static final HealthCheckResult.Outcome[] OUTCOMES = HealthCheckResult.Outcome.values();

	/**
	 * The hello with a proof; {@code 0x01}, the hello of version 1 that carried the
	 * secret itself, is unknown now, so it is refused rather than misread.
	 */
	private static final int HELLO = 0x0F;

	private static final int CHALLENGE = 0x0E;

	private static final int COMMAND_HELLO = 0x11;

	private static final int START = 0x02;

	private static final int STOP = 0x03;

	private static final int HEARTBEAT = 0x04;

	private static final int HEALTH_CHECK_RESULT = 0x05;

	private static final int WARN_SIGNAL_SET = 0x06;
	static final int DATA_STORE = 0x07;

	private static final int MARK_FAILED = 0x08;

	private static final int STATUS_REQUEST = 0x09;

	private static final int CLOSE = 0x0A;

	private static final int RESTART_REQUEST = 0x0B;

	private static final int STANDBY_READY = 0x0C;

	private static final int LISTEN_SOCKET_REQUEST = 0x0D;

	private static final int HTTP_CHECK_URL = 0x10;

	private static final int THREAD_DUMP_REQUEST = 0x49;

	private static final int WELCOME = 0x41;

	private static final int REPLY = 0x42;

	private static final int HEALTH_CHECK_REQUEST = 0x43;

	private static final int STATUS = 0x44;

	private static final int QUORUM_START = 0x45;

	private static final int STANDBY_WELCOME = 0x46;

	private static final int CHALLENGE_ANSWER = 0x47;

	private static final int NOTICE = 0x48;

	/**
	 * Longest history a {@link Status} may carry, so a frame cannot announce millions of
	 * entries.
	 */
	private static final int MAX_HISTORY = 1024;

	private MessageCodec() {
	}

	/** The frame body (type byte and fields) for a message. */
	public static byte[] encode(Message message) {
		PayloadWriter out = new PayloadWriter(
				(message instanceof DataStore store && store.data() != null) ? 16 + store.data().length : 64);
		encodeInto(message, out);
		return out.toByteArray();
	}

	private static void encodeInto(Message message, PayloadWriter out) {
		if (message instanceof Hello hello) {
			out.writeByte(HELLO).writeBytes(hello.proof()).writeLong(hello.pid()).writeStringMap(hello.settings());
		}
		else if (message instanceof Message.CommandHello hello) {
			out.writeByte(COMMAND_HELLO).writeBytes(hello.proof());
		}
		else if (message instanceof Message.Challenge challenge) {
			out.writeByte(CHALLENGE)
				.writeInt(challenge.version())
				.writeInt(challenge.instanceId())
				.writeBytes(challenge.nonce());
		}
		else if (message instanceof Message.ChallengeAnswer answer) {
			out.writeByte(CHALLENGE_ANSWER).writeBytes(answer.nonce()).writeBytes(answer.proof());
		}
		else if (message instanceof Welcome welcome) {
			out.writeByte(WELCOME)
				.writeInt(welcome.instanceId())
				.writeLong(welcome.supervisorPid())
				.writeInt(welcome.restartCount())
				.writeBytes(welcome.data());
		}
		else if (message instanceof Start start) {
			out.writeByte(START).writeBoolean(start.eventDriven());
		}
		else if (message instanceof Stop) {
			out.writeByte(STOP);
		}
		else if (message instanceof Heartbeat) {
			out.writeByte(HEARTBEAT);
		}
		else if (message instanceof HealthCheckRequest request) {
			out.writeByte(HEALTH_CHECK_REQUEST).writeLong(request.sequence());
		}
		else if (message instanceof HealthCheckResult result) {
			out.writeByte(HEALTH_CHECK_RESULT)
				.writeLong(result.sequence())
				.writeByte(result.outcome().ordinal())
				.writeString(result.check())
				.writeString(result.reason())
				.writeLong(result.durationNanos());
		}
		else if (message instanceof WarnSignalSet set) {
			out.writeByte(WARN_SIGNAL_SET).writeString(set.signal());
		}
		else if (message instanceof DataStore store) {
			out.writeByte(DATA_STORE).writeBytes(store.data());
		}
		else if (message instanceof MarkFailed) {
			out.writeByte(MARK_FAILED);
		}
		else if (message instanceof StatusRequest) {
			out.writeByte(STATUS_REQUEST);
		}
		else if (message instanceof Close) {
			out.writeByte(CLOSE);
		}
		else if (message instanceof RestartRequest) {
			out.writeByte(RESTART_REQUEST);
		}
		else if (message instanceof Reply reply) {
			out.writeByte(REPLY).writeString(reply.error()).writeString(reply.message());
		}
		else if (message instanceof Message.QuorumStart) {
			out.writeByte(QUORUM_START);
		}
		else if (message instanceof Message.StandbyWelcome welcome) {
			out.writeByte(STANDBY_WELCOME)
				.writeInt(welcome.instanceId())
				.writeLong(welcome.supervisorPid())
				.writeInt(welcome.restartCount())
				.writeBytes(welcome.data());
		}
		else if (message instanceof Message.Notice notice) {
			out.writeByte(NOTICE).writeString(notice.kind()).writeString(notice.cause()).writeString(notice.detail());
		}
		else if (message instanceof Message.StandbyReady) {
			out.writeByte(STANDBY_READY);
		}
		else if (message instanceof Message.ListenSocketRequest request) {
			out.writeByte(LISTEN_SOCKET_REQUEST)
				.writeString(request.host())
				.writeInt(request.port())
				.writeString(request.replyTo());
		}
		else if (message instanceof Message.ThreadDumpRequest request) {
			out.writeByte(THREAD_DUMP_REQUEST).writeString(request.path());
		}
		else if (message instanceof Message.HttpCheckUrl target) {
			out.writeByte(HTTP_CHECK_URL).writeString(target.url());
		}
		else if (message instanceof Status status) {
			encodeStatus(status, out);
		}
		else {
			throw new IllegalArgumentException("no encoding for " + message);
		}
	}

	/**
	 * The whole frame of a message (its 4-byte length, then the body) as buffers for one
	 * gathering write. The data of a {@link DataStore} or {@link Welcome} is not copied:
	 * the last buffer wraps the message's own array, which must not change until the
	 * frame is written.
	 */
	public static ByteBuffer[] encodeFrame(Message message) {
		byte[] data = null;
		PayloadWriter out = new PayloadWriter(64);
		out.writeInt(0);
		if (message instanceof DataStore store && store.data() != null) {
			data = store.data();
			out.writeByte(DATA_STORE).writeInt(data.length);
		}
		else if (message instanceof Welcome welcome && welcome.data() != null) {
			data = welcome.data();
			out.writeByte(WELCOME)
				.writeInt(welcome.instanceId())
				.writeLong(welcome.supervisorPid())
				.writeInt(welcome.restartCount())
				.writeInt(data.length);
		}
		else {
			encodeInto(message, out);
		}
		ByteBuffer head = out.buffer();
		int bodyLength = head.position() - 4 + ((data != null) ? data.length : 0);
		head.putInt(0, bodyLength).flip();
		return (data != null) ? new ByteBuffer[] { head, ByteBuffer.wrap(data) } : new ByteBuffer[] { head };
	}

	/**
	 * The message in a frame body.
	 * @throws ProtocolException if the body is not exactly one valid message
	 */
	public static Message decode(byte[] body) throws ProtocolException {
		if (body.length == 0) {
			throw new ProtocolException("empty frame");
		}
		PayloadReader in = new PayloadReader(body);
		int type = in.readByte();
		Message message = switch (type) {
			case HELLO -> new Hello(in.readBytes(), in.readLong(), in.readStringMap());
			case CHALLENGE -> new Message.Challenge(in.readInt(), in.readInt(), in.readBytes());
			case COMMAND_HELLO -> new Message.CommandHello(in.readBytes());
			case CHALLENGE_ANSWER -> new Message.ChallengeAnswer(in.readBytes(), in.readBytes());
			case WELCOME -> new Welcome(in.readInt(), in.readLong(), in.readInt(), in.readBytes());
			case QUORUM_START -> new Message.QuorumStart();
			case STANDBY_WELCOME ->
				new Message.StandbyWelcome(in.readInt(), in.readLong(), in.readInt(), in.readBytes());
			case STANDBY_READY -> new Message.StandbyReady();
			case NOTICE -> new Message.Notice(in.readRequiredString(), in.readString(), in.readString());
			case LISTEN_SOCKET_REQUEST ->
				new Message.ListenSocketRequest(in.readString(), in.readInt(), in.readRequiredString());
			case HTTP_CHECK_URL -> new Message.HttpCheckUrl(in.readRequiredString());
			case THREAD_DUMP_REQUEST -> new Message.ThreadDumpRequest(in.readRequiredString());
			case START -> new Start(in.readBoolean());
			case STOP -> new Stop();
			case HEARTBEAT -> new Heartbeat();
			case HEALTH_CHECK_REQUEST -> new HealthCheckRequest(in.readLong());
			case HEALTH_CHECK_RESULT -> new HealthCheckResult(in.readLong(), outcome(in.readByte()), in.readString(),
					in.readString(), in.readLong());
			case WARN_SIGNAL_SET -> new WarnSignalSet(in.readRequiredString());
			case DATA_STORE -> new DataStore(in.readBytes());
			case MARK_FAILED -> new MarkFailed();
			case STATUS_REQUEST -> new StatusRequest();
			case CLOSE -> new Close();
			case RESTART_REQUEST -> new RestartRequest();
			case REPLY -> new Reply(in.readString(), in.readString());
			case STATUS -> decodeStatus(in);
			default -> throw new ProtocolException("unknown message type 0x" + Integer.toHexString(type));
		};
		in.expectEnd();
		if (message instanceof Hello hello && hello.proof() == null) {
			throw new ProtocolException("hello without a proof");
		}
		if (message instanceof Message.CommandHello hello && hello.proof() == null) {
			throw new ProtocolException("command hello without a proof");
		}
		if (message instanceof Message.Challenge challenge && challenge.nonce() == null) {
			throw new ProtocolException("challenge without a nonce");
		}
		if (message instanceof Message.ChallengeAnswer answer && (answer.nonce() == null || answer.proof() == null)) {
			throw new ProtocolException("challenge answer without a nonce or a proof");
		}
		return message;
	}

	private static HealthCheckResult.Outcome outcome(int ordinal) throws ProtocolException {
		HealthCheckResult.Outcome[] outcomes = OUTCOMES;
		if (ordinal >= outcomes.length) {
			throw new ProtocolException("unknown health-check outcome " + ordinal);
		}
		return outcomes[ordinal];
	}

	private static void encodeStatus(Status status, PayloadWriter out) {
		out.writeByte(STATUS)
			.writeString(status.state())
			.writeInt(status.instanceId())
			.writeInt(status.restartCount())
			.writeString(status.recoveryPolicy())
			.writeLong(status.pollPeriodMillis())
			.writeLong(status.lastUpdatedEpochMillis())
			.writeString(status.warnSignal())
			.writeLong(status.pid())
			.writeLong(status.supervisorPid())
			.writeInt(status.quorate())
			.writeInt(status.dataSize())
			.writeStringMap(status.details())
			.writeInt(status.history().size());
		for (HistoryEntry entry : status.history()) {
			out.writeInt(entry.instanceId())
				.writeLong(entry.pid())
				.writeLong(entry.startedEpochMillis())
				.writeLong(entry.endedEpochMillis())
				.writeString(entry.cause())
				.writeInt(entry.exitStatus())
				.writeString(entry.signal())
				.writeString(entry.detail());
		}
	}

	private static Status decodeStatus(PayloadReader in) throws ProtocolException {
		String state = in.readRequiredString();
		int instanceId = in.readInt();
		int restartCount = in.readInt();
		String policy = in.readRequiredString();
		long pollPeriod = in.readLong();
		long lastUpdated = in.readLong();
		String warnSignal = in.readRequiredString();
		long pid = in.readLong();
		long supervisorPid = in.readLong();
		int quorate = in.readInt();
		int dataSize = in.readInt();
		var details = in.readStringMap();
		int entries = in.readInt();
		if (entries < 0 || entries > MAX_HISTORY) {
			throw new ProtocolException("history of " + entries + " entries");
		}
		List<HistoryEntry> history = new ArrayList<>(entries);
		for (int i = 0; i < entries; i++) {
			history.add(new HistoryEntry(in.readInt(), in.readLong(), in.readLong(), in.readLong(),
					in.readRequiredString(), in.readInt(), in.readString(), in.readString()));
		}
		return new Status(state, instanceId, restartCount, policy, pollPeriod, lastUpdated, warnSignal, pid,
				supervisorPid, quorate, dataSize, details, history);
	}

}
