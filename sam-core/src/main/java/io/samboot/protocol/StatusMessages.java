package io.samboot.protocol;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
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

	private static final String STANDBY_STATE = "standby.state";

	private static final String STANDBY_PID = "standby.pid";

	private static final String STANDBY_SINCE = "standby.since-ms";

	private static final String STANDBY_FAILURES = "standby.failures";

	private static final String PROMOTIONS = "promotions";

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
				status.warnSignal(), status.pid(), status.supervisorPid(), quorate, status.dataSize(), details(status),
				history);
	}

	private static Map<String, String> details(SamStatus status) {
		Map<String, String> details = new HashMap<>();
		details.put(NEXT_RESTART_DELAY, Long.toString(status.nextRestartDelay().toMillis()));
		details.put(RESTARTS_IN_WINDOW, Integer.toString(status.restartsInWindow()));
		details.put(PROMOTIONS, Integer.toString(status.promotions()));
		SamStatus.StandbyStatus standby = status.standby();
		if (standby != null) {
			details.put(STANDBY_STATE, standby.state());
			details.put(STANDBY_PID, Long.toString(standby.pid()));
			details.put(STANDBY_SINCE, Long.toString(millis(standby.since())));
			details.put(STANDBY_FAILURES, Integer.toString(standby.failures()));
		}
		return details;
	}

	private static SamStatus.StandbyStatus standby(Map<String, String> details) {
		String state = details.get(STANDBY_STATE);
		return (state != null)
				? new SamStatus.StandbyStatus(state, Long.parseLong(details.getOrDefault(STANDBY_PID, "-1")),
						instant(Long.parseLong(details.getOrDefault(STANDBY_SINCE, "-1"))),
						Integer.parseInt(details.getOrDefault(STANDBY_FAILURES, "0")))
				: null;
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
					Integer.parseInt(message.details().getOrDefault(RESTARTS_IN_WINDOW, "0")),
					standby(message.details()), Integer.parseInt(message.details().getOrDefault(PROMOTIONS, "0")));
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
