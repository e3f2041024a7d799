package io.samboot.supervisor;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import io.samboot.EndCause;
import io.samboot.InstanceRecord;
import io.samboot.SamStatus;
import io.samboot.supervisor.SupervisedInstance.Ending;
import io.samboot.supervisor.SupervisedInstance.Next;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The record of ended instances. */
class InstanceHistoryTests {

	private static final Instant STARTED = Instant.parse("2026-12-01T10:00:00Z");

	private static final Instant ENDED = Instant.parse("2026-12-01T10:05:00Z");

	private final RecordingListener listener = new RecordingListener();

	private final CapturedLog log = new CapturedLog();

	private final InstanceHistory history = new InstanceHistory(this.listener, this.log.log,
			Clock.fixed(ENDED, ZoneOffset.UTC));

	@Test
	void anEndIsRecordedWithWhatIsKnownOfIt() {
		InstanceRecord record = this.history.ended(instance(3),
				new Ending(EndCause.HEALTH_CHECK_FAILED, Next.RECOVER, "database (connection refused)"), 143);

		assertThat(record).isEqualTo(new InstanceRecord(3, 2003, STARTED, ENDED, EndCause.HEALTH_CHECK_FAILED, 143,
				"SIGTERM", "database (connection refused)"));
		assertThat(this.history.list()).containsExactly(record);
	}

	@ParameterizedTest(name = "exit status {0} -> signal {1}")
	@CsvSource(nullValues = "none",
			value = { "137, SIGKILL", "130, SIGINT", "129, SIGHUP", "0, none", "127, none", "128, none", "255, none" })
	void theSignalAnExitStatusStandsForIsNamed(int status, String signal) {
		assertThat(this.history.ended(instance(1), exited(), status).signal()).isEqualTo(signal);
	}

	@Test
	void onlyTheMostRecentAreKeptOldestFirst() {
		for (int id = 1; id <= SamStatus.HISTORY_LIMIT + 2; id++) {
			this.history.ended(instance(id), exited(), 1);
		}

		assertThat(this.history.list()).hasSize(SamStatus.HISTORY_LIMIT);
		assertThat(this.history.list().get(0).instanceId()).isEqualTo(3);
		assertThat(this.history.list().get(SamStatus.HISTORY_LIMIT - 1).instanceId())
			.isEqualTo(SamStatus.HISTORY_LIMIT + 2);
	}

	@Test
	void theListIsACopy() {
		this.history.ended(instance(1), exited(), 1);

		assertThat(this.history.list()).isNotSameAs(this.history.list()).isUnmodifiable();
	}

	@Test
	void theListenersAndTheLogHearOfEveryEnd() {
		this.history.ended(instance(1), exited(), 137);
		this.history.ended(instance(2), new Ending(EndCause.SHUTDOWN, Next.QUIT, "SIGTERM to the supervisor"), 0);

		assertThat(this.listener.heard).containsExactly("ended 1 EXITED", "ended 2 SHUTDOWN");
		assertThat(this.log.lines()).containsExactly(
				"INFO instance 1 (pid 2001) ended: killed by SIGKILL, cause exited",
				"INFO instance 2 (pid 2002) ended: exit status 0, cause shutdown");
	}

	@Test
	void theLineIsWrittenBeforeTheListenersHearOfTheEnd() {
		List<Integer> linesWhenHeard = new ArrayList<>();
		InstanceHistory history = new InstanceHistory(new SupervisorListener() {

			@Override
			public void instanceEnded(InstanceRecord record) {
				linesWhenHeard.add(InstanceHistoryTests.this.log.lines().size());
			}

		}, this.log.log, Clock.fixed(ENDED, ZoneOffset.UTC));

		history.ended(instance(1), exited(), 137);

		assertThat(linesWhenHeard).containsExactly(1);
	}

	@Test
	void theLastExitStatusIsZeroBeforeAnyInstanceEnded() {
		assertThat(this.history.lastExitStatus()).isZero();
	}

	@Test
	void theLastExitStatusIsTheLastEndedInstancesEvenPastTheKeptRecords() {
		for (int id = 1; id <= SamStatus.HISTORY_LIMIT + 2; id++) {
			this.history.ended(instance(id), exited(), 100 + id);
		}

		assertThat(this.history.lastExitStatus()).isEqualTo(100 + SamStatus.HISTORY_LIMIT + 2);
	}

	private static SupervisedInstance instance(int id) {
		return new SupervisedInstance(id, 2000 + id, STARTED, 0);
	}

	private static Ending exited() {
		return new Ending(EndCause.EXITED, Next.RECOVER, "ended while health checking was started");
	}

}
