package io.samboot.supervisor;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import io.samboot.PosixSignal;
import io.samboot.SamError;
import io.samboot.SamSettings;
import io.samboot.protocol.Message;
import io.samboot.protocol.Message.Reply;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What an instance's hello sets up, and the warning signal that outlives it. */
class RegistrationsTests {

	private final FakeControlChannel channel = new FakeControlChannel();

	private final SupervisorDataStore dataStore = new SupervisorDataStore(new byte[] { 4, 2 }, SamSettings.defaults(),
			() -> 0);

	private final RecordingListener listener = new RecordingListener();

	private final CapturedLog log = new CapturedLog();

	private final Registrations registrations = new Registrations(this.channel, this.dataStore,
			new ClusterLink(1000, quorate -> {
			}, publisher -> {
			}), this.listener, this.log.log, 1000);

	private final SupervisedInstance instance = new SupervisedInstance(1, 2001, Instant.EPOCH, 0);

	private final SamSettings sent = SamSettings.builder()
		.timeInterval(Duration.ofSeconds(3))
		.dataStoreMaxSize(2048)
		.build();

	@Test
	void theSettingsAreThoseTheInstanceSent() {
		SamSettings settings = this.registrations.settings(this.instance, this.sent.toMap(), SamSettings.defaults());

		assertThat(settings).isEqualTo(this.sent);
		assertThat(this.log.lines()).isEmpty();
	}

	@Test
	void settingsThatCannotBeUsedKeepThePreviousOnes() {
		Map<String, String> unusable = new HashMap<>(this.sent.toMap());
		unusable.put("time-interval", "ten seconds");

		SamSettings settings = this.registrations.settings(this.instance, unusable, SamSettings.defaults());

		assertThat(settings).isEqualTo(SamSettings.defaults());
		assertThat(this.log.lines()).singleElement()
			.asString()
			.startsWith("WARN instance 1 (pid 2001) sent settings the supervisor cannot use (");
	}

	@Test
	void aWarningSignalSetAtRunTimeAppliesToEveryLaterRegistration() {
		this.registrations.warnSignalSet(this.instance, SamSettings.defaults(), "SIGUSR1");

		SamSettings next = this.registrations.settings(this.instance, this.sent.toMap(), SamSettings.defaults());

		assertThat(next.warnSignal()).isEqualTo(PosixSignal.USR1);
	}

	@Test
	void aWarningSignalSetAtRunTimeIsAnsweredAndApplied() {
		SamSettings changed = this.registrations.warnSignalSet(this.instance, this.sent, "SIGUSR1");

		assertThat(changed).isEqualTo(this.sent.withWarnSignal(PosixSignal.USR1));
		assertThat(this.channel.lastTo(1)).isEqualTo(Reply.ok());
	}

	@Test
	void aWarningSignalThatCannotWarnIsRefusedAndForgotten() {
		SamSettings unchanged = this.registrations.warnSignalSet(this.instance, this.sent, "SIGSTOP");

		assertThat(unchanged).isSameAs(this.sent);
		assertThat(((Reply) this.channel.lastTo(1)).error()).isEqualTo(SamError.INVALID_PARAM.name());
		assertThat(this.registrations.settings(this.instance, this.sent.toMap(), this.sent)).isEqualTo(this.sent);
	}

	@Test
	void aRunTimeWarningSignalTheNewSettingsCannotTakeIsLoggedAndDropped() {
		SamSettings noDelay = SamSettings.builder().warnSignal(PosixSignal.KILL).killDelay(Duration.ZERO).build();
		this.registrations.warnSignalSet(this.instance, SamSettings.defaults(), "TERM");

		SamSettings settings = this.registrations.settings(this.instance, noDelay.toMap(), SamSettings.defaults());

		assertThat(settings).isEqualTo(noDelay);
		assertThat(this.log.lines()).singleElement()
			.asString()
			.startsWith("WARN instance 1 (pid 2001) cannot keep the warning signal set at run time (SIGTERM): ");
	}

	@Test
	void admittingSetsTheSizeLimitsTheSettingsAskFor() {
		assertThat(this.registrations.admit(this.instance, this.sent)).isTrue();

		assertThat(this.channel.frameLimits).containsExactly(2048L);
		assertThat(this.dataStore.storeReceived(StoredBytes.bufferOf(new byte[2048])).isOk()).isTrue();
	}

	@Test
	void anInstanceThatAsksForAnUnavailableClusterServiceIsRefused() {
		SamSettings quorum = this.sent.toBuilder().quorum(true).build();

		assertThat(this.registrations.admit(this.instance, quorum)).isFalse();

		Reply refusal = (Reply) this.channel.lastTo(1);
		assertThat(refusal.error()).isEqualTo(SamError.LIBRARY.name());
		assertThat(refusal.message()).startsWith("corosync quorum, which is unavailable: ");
		assertThat(this.log.lines()).singleElement()
			.asString()
			.startsWith("ERROR instance 1 (pid 2001) asked for corosync quorum, which is unavailable: ");
	}

	@Test
	void theWelcomeCarriesTheStoredDataAndTheRestartCount() {
		this.registrations.welcome(this.instance, this.sent, 3);

		Message.Welcome welcome = (Message.Welcome) this.channel.lastTo(1);
		assertThat(welcome.instanceId()).isEqualTo(1);
		assertThat(welcome.supervisorPid()).isEqualTo(1000);
		assertThat(welcome.restartCount()).isEqualTo(3);
		assertThat(welcome.data()).containsExactly(4, 2);
	}

	@Test
	void fromTheWelcomeTheChannelKeepsTheInstancesStores() {
		this.registrations.welcome(this.instance, this.sent, 0);

		assertThat(this.dataStore.store(1, StoredBytes.bufferOf(new byte[] { 1 }))).isNotNull();
	}

	@Test
	void theWelcomeIsToldToTheListenersAndTheLog() {
		this.registrations.welcome(this.instance, this.sent, 0);

		assertThat(this.listener.heard).containsExactly("registered 1", "state 1 REGISTERED");
		assertThat(this.log.lines()).containsExactly("INFO instance 1 (pid 2001) registered: time-interval 3s,"
				+ " recovery-policy restart, warn-signal SIGTERM, health-check event");
	}

	@Test
	void aPassThroughWelcomeSaysSo() {
		this.registrations.welcome(this.instance, this.sent.toBuilder().enabled(false).build(), 0);

		assertThat(this.log.lines()).containsExactly("INFO instance 1 (pid 2001) runs with sam.enabled=false: the"
				+ " supervisor only passes signals and its exit status through");
	}

}
