package io.samboot.protocol;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.samboot.EndCause;
import io.samboot.InstanceRecord;
import io.samboot.RecoveryPolicy;
import io.samboot.SamState;
import io.samboot.SamStatus;

/** Converts {@link SamStatus} to the {@link Message.Status} frame and back. */
public final class StatusMessages {

	private static final String NEXT_RESTART_DELAY = "next-restart-delay-ms";

	private static final String RESTARTS_IN_WINDOW = "restarts-in-window";

	private StatusMessages() {
	}

	public static Message.Status toMessage(SamStatus status) {
		List<Message.HistoryEntry> history = status.history()
			.stream()
			.map(record -> new Message.HistoryEntry(record.instanceId(), record.pid(), millis(record.startedAt()),
					millis(record.endedAt()), record.cause().id(), record.exitStatus(), record.signal(),
					record.detail()))
			.toList();
		int quorate = (status.quorate() == null) ? -1 : (status.quorate() ? 1 : 0);
		return new Message.Status(status.state().id(), status.instanceId(), status.restartCount(),
				status.recoveryPolicy().id(), status.pollPeriod().toMillis(), millis(status.lastUpdated()),
				status.warnSignal(), status.pid(), status.supervisorPid(), quorate, status.dataSize(),
				Map.of(NEXT_RESTART_DELAY, Long.toString(status.nextRestartDelay().toMillis()), RESTARTS_IN_WINDOW,
						Integer.toString(status.restartsInWindow())),
				history);
	}

	/**
	 * @throws ProtocolException for a state, policy or cause this version does not know
	 */
	public static SamStatus fromMessage(Message.Status message) throws ProtocolException {
		try {
			List<InstanceRecord> history = message.history()
				.stream()
				.map(entry -> new InstanceRecord(entry.instanceId(), entry.pid(), instant(entry.startedEpochMillis()),
						instant(entry.endedEpochMillis()), EndCause.ofId(entry.cause()), entry.exitStatus(),
						entry.signal(), entry.detail()))
				.toList();
			Boolean quorate = (message.quorate() < 0) ? null : message.quorate() == 1;
			return new SamStatus(SamState.ofId(message.state()), message.instanceId(), message.restartCount(),
					RecoveryPolicy.parse(message.recoveryPolicy()), Duration.ofMillis(message.pollPeriodMillis()),
					instant(message.lastUpdatedEpochMillis()), message.warnSignal(), message.pid(),
					message.supervisorPid(), quorate, message.dataSize(), history,
					Duration.ofMillis(Long.parseLong(message.details().getOrDefault(NEXT_RESTART_DELAY, "0"))),
					Integer.parseInt(message.details().getOrDefault(RESTARTS_IN_WINDOW, "0")));
		}
		catch (IllegalArgumentException ex) {
			throw new ProtocolException("unusable status: " + ex.getMessage());
		}
	}

	private static long millis(Instant instant) {
		return (instant != null) ? instant.toEpochMilli() : -1;
	}

	private static Instant instant(long millis) {
		return (millis >= 0) ? Instant.ofEpochMilli(millis) : null;
	}

}
