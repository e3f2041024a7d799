package io.samboot.protocol;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.samboot.EndCause;
import io.samboot.InstanceRecord;
import io.samboot.RecoveryPolicy;
import io.samboot.SamSettings;
import io.samboot.SamState;
import io.samboot.SamStatus;

/**
 * The frames a real supervisor and instance exchange, as the fuzzers' seeds: the
 * handshake's challenge, its answer and a hello with the real settings map, the welcome,
 * start, heartbeat, health-check request and results, a data store of 1 KiB, a status
 * with history, and replies. {@link #main} writes them into the inputs directories Jazzer
 * reads ({@code src/test/resources/io/samboot/.../<TestClass>Inputs/<method>/}).
 */
public final class RealFrames {

	private RealFrames() {
	}

	/** Each real message, by a file-friendly name. */
	public static Map<String, Message> messages() {
		byte[] secret = new byte[32];
		for (int i = 0; i < secret.length; i++) {
			secret[i] = (byte) (0x5A ^ (i * 37));
		}
		byte[] instanceNonce = new byte[HandshakeProofs.LENGTH];
		byte[] supervisorNonce = new byte[HandshakeProofs.LENGTH];
		for (int i = 0; i < instanceNonce.length; i++) {
			instanceNonce[i] = (byte) (i * 11 + 1);
			supervisorNonce[i] = (byte) (i * 13 + 5);
		}
		HandshakeProofs proofs = new HandshakeProofs(3, instanceNonce, supervisorNonce);
		byte[] data = new byte[1024];
		for (int i = 0; i < data.length; i++) {
			data[i] = (byte) (i * 7 + 3);
		}
		Map<String, Message> messages = new LinkedHashMap<>();
		messages.put("challenge", new Message.Challenge(HandshakeProofs.VERSION, 3, instanceNonce));
		messages.put("challenge-answer", new Message.ChallengeAnswer(supervisorNonce, proofs.bySupervisor(secret)));
		messages.put("hello", new Message.Hello(proofs.byInstance(secret), 48_213, SamSettings.defaults().toMap()));
		messages.put("welcome", new Message.Welcome(3, 48_200, 2, Arrays.copyOf(data, 16)));
		messages.put("welcome-no-data", new Message.Welcome(1, 48_200, 0, null));
		messages.put("start", new Message.Start(true));
		messages.put("stop", new Message.Stop());
		messages.put("heartbeat", new Message.Heartbeat());
		messages.put("health-check-request", new Message.HealthCheckRequest(17));
		messages.put("health-check-result-up",
				new Message.HealthCheckResult(17, Message.HealthCheckResult.Outcome.UP, null, null, 1_250_000));
		messages.put("health-check-result-down", new Message.HealthCheckResult(18,
				Message.HealthCheckResult.Outcome.DOWN, "db", "connection refused", 31_000_000));
		messages.put("warn-signal-set", new Message.WarnSignalSet("SIGUSR1"));
		messages.put("data-store-1k", new Message.DataStore(data));
		messages.put("data-store-remove", new Message.DataStore(null));
		messages.put("status-request", new Message.StatusRequest());
		messages.put("status-with-history", StatusMessages.toMessage(status()));
		messages.put("reply-ok", Message.Reply.ok());
		messages.put("reply-error", new Message.Reply("TOO_BIG", "data of 2097152 bytes is larger than 1048576"));
		messages.put("mark-failed", new Message.MarkFailed());
		messages.put("close", new Message.Close());
		messages.put("restart-request", new Message.RestartRequest());
		messages.put("standby-welcome", new Message.StandbyWelcome(4, 48_000, 3, data));
		messages.put("standby-ready", new Message.StandbyReady());
		messages.put("listen-socket-request",
				new Message.ListenSocketRequest("", 8080, "@sam-listen-48213-00112233445566778899aabbccddeeff"));
		messages.put("http-check-url", new Message.HttpCheckUrl("http://127.0.0.1:8080/actuator/health/liveness"));
		messages.put("thread-dump-request", new Message.ThreadDumpRequest(
				"/var/log/app/sam-thread-dump-instance-3-pid-48213-20261202T231500.123Z.txt"));
		messages.put("notice-stopping",
				new Message.Notice(Message.Notice.STOPPING, "health-check-timeout", "no health check passed for 10s"));
		messages.put("notice-quorum-lost", new Message.Notice(Message.Notice.QUORUM_LOST, null, null));
		return messages;
	}

	static SamStatus status() {
		Instant t = Instant.parse("2026-11-22T03:00:00Z");
		List<InstanceRecord> history = List.of(
				new InstanceRecord(1, 48_201, t, t.plusSeconds(30), EndCause.HEALTH_CHECK_TIMEOUT, 137, "SIGKILL",
						"no health check passed for 10s"),
				new InstanceRecord(2, 48_207, t.plusSeconds(31), t.plusSeconds(95), EndCause.EXITED, 1, null, null),
				new InstanceRecord(3, 48_213, t.plusSeconds(96), t.plusSeconds(100), EndCause.RESTART_REQUESTED, 143,
						"SIGTERM", null));
		return new SamStatus(SamState.STARTED, 4, 3, RecoveryPolicy.RESTART, Duration.ofSeconds(10), t.plusSeconds(120),
				"SIGTERM", 48_220, 48_200, null, 1024, history, Duration.ofSeconds(4), 2);
	}

	/** The frame body of a message. */
	public static byte[] body(Message message) {
		return MessageCodec.encode(message);
	}

	/** The whole frame: length and body. */
	public static byte[] frame(Message message) {
		byte[] body = body(message);
		return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
	}

	/** Writes the seed corpora; run from the module directory. */
	public static void main(String[] args) throws IOException {
		Path resources = Path.of(args.length > 0 ? args[0] : "src/test/resources");
		Path protocol = resources.resolve("io/samboot/protocol/FrameFuzzTests" + "Inputs");
		Path supervisor = resources.resolve("io/samboot/supervisor/ControlServerHandshakeFuzzTests" + "Inputs");
		Path instance = resources.resolve("io/samboot/instance/SupervisorVerificationFuzzTests" + "Inputs");
		for (Map.Entry<String, Message> entry : messages().entrySet()) {
			String name = entry.getKey();
			byte[] body = body(entry.getValue());
			byte[] frame = frame(entry.getValue());
			write(protocol.resolve("decode"), name, body);
			write(protocol.resolve("roundTrip"), name, body);
			write(protocol.resolve("payloadReaderSequence"), name, PayloadReaderScript.seedFor(entry.getValue(), body));
			// Frame-limit selector 3 (the handshake limit), read chunk 1, then the frame
			// twice.
			write(protocol.resolve("frameChannelRead"), name, concat(new byte[] { 3 }, frame, frame));
			write(supervisor.resolve("garbageThenALegitimateHello"), name, frame);
			write(supervisor.resolve("garbageInsteadOfTheHelloAfterARealChallenge"), name, frame);
			write(instance.resolve("impostorAnswers"), name, frame);
			if (entry.getValue() instanceof Message.Status) {
				write(protocol.resolve("statusFromMessage"), name, body);
			}
		}
		// Frames cut short and a frame with a lying length: the peer's usual ways of
		// going wrong.
		byte[] hello = frame(messages().get("hello"));
		write(protocol.resolve("frameChannelRead"), "hello-truncated",
				concat(new byte[] { 3 }, Arrays.copyOf(hello, hello.length / 2)));
		write(supervisor.resolve("garbageThenALegitimateHello"), "hello-truncated", Arrays.copyOf(hello, 20));
		write(supervisor.resolve("garbageThenALegitimateHello"), "length-2GiB",
				ByteBuffer.allocate(5).putInt(Integer.MAX_VALUE).put((byte) 1).array());
	}

	static byte[] concat(byte[]... parts) {
		int length = 0;
		for (byte[] part : parts) {
			length += part.length;
		}
		ByteBuffer all = ByteBuffer.allocate(length);
		for (byte[] part : parts) {
			all.put(part);
		}
		return all.array();
	}

	private static void write(Path directory, String name, byte[] bytes) throws IOException {
		Files.createDirectories(directory);
		Files.write(directory.resolve(name), bytes);
	}

}
