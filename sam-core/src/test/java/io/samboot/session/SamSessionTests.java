package io.samboot.session;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import io.samboot.CheckResult;
import io.samboot.HealthCheckCallback;
import io.samboot.HealthCheckMode;
import io.samboot.PosixSignal;
import io.samboot.RecoveryPolicy;
import io.samboot.SamError;
import io.samboot.SamException;
import io.samboot.SamSettings;
import io.samboot.SamState;
import io.samboot.SamStatus;
import io.samboot.supervisor.SupervisionDecision;
import io.samboot.supervisor.SupervisionDecision.Role;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The SAM handle's state machine in an unsupervised process: corosync's error for every
 * call in the wrong state or with a wrong argument (lib/sam.c), without a supervisor or a
 * child process.
 */
class SamSessionTests {

	private static final SamSettings SETTINGS = SamSettings.builder()
		.timeInterval(Duration.ofSeconds(1))
		.healthCheckMode(HealthCheckMode.APPLICATION)
		.build();

	private static final HealthCheckCallback HEALTHY = CheckResult::up;

	// ---- before initialize
	// ------------------------------------------------------------------------

	static Stream<Arguments> callsThatNeedAnInitializedHandle() {
		return Stream.of(call("register", SamSession::register), call("start", SamSession::start),
				call("stop", SamSession::stop), call("hcSend", SamSession::hcSend),
				call("hcCallbackRegister", session -> session.hcCallbackRegister(HEALTHY)),
				call("warnSignalSet", session -> session.warnSignalSet("TERM")),
				call("dataStore", session -> session.dataStore(new byte[] { 1 })),
				call("dataStore(null)", session -> session.dataStore(null)),
				call("dataRestore()", SamSession::dataRestore),
				call("dataRestore(buffer)", session -> session.dataRestore(new byte[8])),
				call("dataGetSize", SamSession::dataGetSize), call("markFailed", SamSession::markFailed),
				call("close", SamSession::close), call("requestRestart", SamSession::requestRestart));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("callsThatNeedAnInitializedHandle")
	void everyCallBeforeInitializeFailsWithBadHandle(String name, Consumer<SamSession> call) {
		SamSession session = newSession();

		assertSamError(() -> call.accept(session), SamError.BAD_HANDLE);
		assertThat(session.phase()).isEqualTo(SamSession.Phase.NOT_INITIALIZED);
	}

	@ParameterizedTest
	@EnumSource(SamSession.Phase.class)
	void restoringIntoANullBufferIsInvalidParamInEveryStateEvenBeforeTheStateIsChecked(SamSession.Phase phase) {
		SamSession session = inPhase(phase);

		assertSamError(() -> session.dataRestore(null), SamError.INVALID_PARAM);
	}

	// ---- initialize
	// ---------------------------------------------------------------------------

	@Test
	void initializeRecordsTheSettings() {
		SamSession session = newSession();

		session.initialize(SETTINGS);

		assertThat(session.phase()).isEqualTo(SamSession.Phase.INITIALIZED);
		assertThat(session.settings()).isEqualTo(SETTINGS);
	}

	@Test
	void initializeWithoutSettingsIsInvalidParam() {
		SamSession session = newSession();

		assertSamError(() -> session.initialize(null), SamError.INVALID_PARAM);
		assertThat(session.phase()).isEqualTo(SamSession.Phase.NOT_INITIALIZED);
	}

	@ParameterizedTest
	@EnumSource(value = SamSession.Phase.class, names = "NOT_INITIALIZED", mode = EnumSource.Mode.EXCLUDE)
	void initializingAgainFailsWithBadHandleAndKeepsTheFirstSettings(SamSession.Phase phase) {
		SamSession session = inPhase(phase);
		SamSettings other = SETTINGS.withRecoveryPolicy(RecoveryPolicy.QUIT);

		assertSamError(() -> session.initialize(other), SamError.BAD_HANDLE);
		assertThat(session.phase()).isEqualTo(phase);
		if (phase != SamSession.Phase.FINALIZED) {
			assertThat(session.settings().recoveryPolicy()).isEqualTo(RecoveryPolicy.RESTART);
		}
	}

	@Test
	void aSecondInitializeIsBadHandleWhateverItsArguments() {
		SamSession session = inPhase(SamSession.Phase.INITIALIZED);

		assertSamError(() -> session.initialize(null), SamError.BAD_HANDLE);
	}

	// ---- register
	// -----------------------------------------------------------------------------

	@Test
	void registerInAnUnsupervisedProcessReturnsZero() {
		SamSession session = inPhase(SamSession.Phase.INITIALIZED);

		assertThat(session.register()).isZero();

		assertThat(session.phase()).isEqualTo(SamSession.Phase.REGISTERED);
		assertThat(session.instanceId()).isZero();
		assertThat(session.restartCount()).isZero();
		assertThat(session.supervised()).isFalse();
		assertThat(session.state()).isEqualTo(SamState.REGISTERED);
	}

	@ParameterizedTest
	@EnumSource(value = SamSession.Phase.class, names = { "REGISTERED", "STARTED", "FINALIZED" })
	void registerIsOnlyAllowedOnceAfterInitialize(SamSession.Phase phase) {
		SamSession session = inPhase(phase);

		assertSamError(session::register, SamError.BAD_HANDLE);
		assertThat(session.phase()).isEqualTo(phase);
	}

	// ---- start, stop, hcSend
	// ------------------------------------------------------------------

	@ParameterizedTest
	@EnumSource(value = SamSession.Phase.class, names = { "INITIALIZED", "STARTED", "FINALIZED" })
	void startIsOnlyAllowedWhenRegisteredAndNotStarted(SamSession.Phase phase) {
		SamSession session = inPhase(phase);

		assertSamError(session::start, SamError.BAD_HANDLE);
		assertThat(session.phase()).isEqualTo(phase);
	}

	@ParameterizedTest
	@EnumSource(value = SamSession.Phase.class, names = { "INITIALIZED", "REGISTERED", "FINALIZED" })
	void stopWhenNotStartedFailsWithBadHandle(SamSession.Phase phase) {
		SamSession session = inPhase(phase);

		assertSamError(session::stop, SamError.BAD_HANDLE);
		assertThat(session.phase()).isEqualTo(phase);
	}

	@ParameterizedTest
	@EnumSource(value = SamSession.Phase.class, names = { "INITIALIZED", "REGISTERED", "FINALIZED" })
	void hcSendWhenNotStartedFailsWithBadHandle(SamSession.Phase phase) {
		SamSession session = inPhase(phase);

		assertSamError(session::hcSend, SamError.BAD_HANDLE);
	}

	@Test
	void startAndStopMayAlternateAnyNumberOfTimes() {
		SamSession session = inPhase(SamSession.Phase.REGISTERED);
		for (int i = 0; i < 5; i++) {
			session.start();
			assertThat(session.state()).isEqualTo(SamState.STARTED);
			session.hcSend();
			session.stop();
			assertThat(session.state()).isEqualTo(SamState.REGISTERED);
			assertSamError(session::hcSend, SamError.BAD_HANDLE);
			assertSamError(session::stop, SamError.BAD_HANDLE);
		}
	}

	// ---- hcCallbackRegister
	// -------------------------------------------------------------------

	@ParameterizedTest
	@EnumSource(value = SamSession.Phase.class, names = { "INITIALIZED", "STARTED", "FINALIZED" })
	void aCallbackCanOnlyBeRegisteredWhenRegistered(SamSession.Phase phase) {
		SamSession session = inPhase(phase);

		assertSamError(() -> session.hcCallbackRegister(HEALTHY), SamError.BAD_HANDLE);
	}

	@Test
	void aCallbackNeedsATimeInterval() {
		SamSession session = inPhase(SamSession.Phase.REGISTERED, SETTINGS.withTimeInterval(Duration.ZERO));

		assertSamError(() -> session.hcCallbackRegister(HEALTHY), SamError.INVALID_PARAM);
		assertSamError(() -> session.hcCallbackRegister(null), SamError.INVALID_PARAM);
	}

	@Test
	void aNullCallbackIsInvalidAsTheFirstButSwitchesBackLater() {
		SamSession session = inPhase(SamSession.Phase.REGISTERED);

		assertSamError(() -> session.hcCallbackRegister(null), SamError.INVALID_PARAM);
		session.hcCallbackRegister(HEALTHY);
		session.hcCallbackRegister(null);
		session.hcCallbackRegister(() -> CheckResult.down("x", "y"));
		session.hcCallbackRegister(null);
		session.hcCallbackRegister(null);

		assertThat(session.phase()).isEqualTo(SamSession.Phase.REGISTERED);
	}

	// ---- warnSignalSet
	// ------------------------------------------------------------------------

	@ParameterizedTest
	@NullSource
	@ValueSource(strings = { "STOP", "SIGSTOP", "USR2", "SIGUSR2", "QUIT", "SEGV", "TSTP", "CONT", "garbage", "", "  ",
			"SIG", "0", "99", "-15", "TERM9" })
	void aSignalThatCannotWarnIsInvalidParam(String signal) {
		SamSession session = inPhase(SamSession.Phase.REGISTERED);

		assertSamError(() -> session.warnSignalSet(signal), SamError.INVALID_PARAM);
		assertThat(session.settings().warnSignal()).isEqualTo(PosixSignal.TERM);
	}

	@ParameterizedTest
	@EnumSource(value = SamSession.Phase.class, names = { "INITIALIZED", "REGISTERED", "STARTED" })
	void theWarningSignalMayBeChangedOnceInitialized(SamSession.Phase phase) {
		SamSession session = inPhase(phase);

		session.warnSignalSet("sigusr1");

		assertThat(session.settings().warnSignal()).isEqualTo(PosixSignal.USR1);
	}

	@Test
	void theWarningSignalIsTakenByNameWithOrWithoutSigOrByNumber() {
		SamSession session = inPhase(SamSession.Phase.REGISTERED);

		session.warnSignalSet("HUP");
		assertThat(session.settings().warnSignal()).isEqualTo(PosixSignal.HUP);
		session.warnSignalSet(Integer.toString(PosixSignal.INT.number()));
		assertThat(session.settings().warnSignal()).isEqualTo(PosixSignal.INT);
		session.warnSignalSet("SIGKILL");
		assertThat(session.settings().warnSignal()).isEqualTo(PosixSignal.KILL);
		assertThat(session.status().warnSignal()).isEqualTo("SIGKILL");
	}

	@Test
	void changingTheWarningSignalNeverThrowsAnythingButASamException() {
		SamSettings noWarning = SETTINGS.toBuilder().warnSignal(PosixSignal.KILL).killDelay(Duration.ZERO).build();
		SamSession session = inPhase(SamSession.Phase.REGISTERED, noWarning);

		Throwable thrown = null;
		try {
			session.warnSignalSet("TERM");
		}
		catch (Throwable ex) {
			thrown = ex;
		}

		if (thrown != null) {
			assertThat(thrown).isInstanceOf(SamException.class);
			assertThat(((SamException) thrown).error()).isEqualTo(SamError.INVALID_PARAM);
			assertThat(session.settings().warnSignal()).isEqualTo(PosixSignal.KILL);
		}
	}

	// ---- data
	// ---------------------------------------------------------------------------------

	@ParameterizedTest
	@EnumSource(value = SamSession.Phase.class, names = { "INITIALIZED", "REGISTERED", "STARTED" })
	void storedDataIsReadBackInEveryState(SamSession.Phase phase) {
		SamSession session = inPhase(phase);
		assertThat(session.dataGetSize()).isZero();
		assertThat(session.dataRestore()).isEmpty();

		session.dataStore(new byte[] { 1, 2, 3 });

		assertThat(session.dataGetSize()).isEqualTo(3);
		assertThat(session.dataRestore()).containsExactly(1, 2, 3);
	}

	@Test
	void dataIsCopiedInAndOut() {
		SamSession session = inPhase(SamSession.Phase.REGISTERED);
		byte[] stored = { 1, 2, 3 };

		session.dataStore(stored);
		stored[0] = 9;
		session.dataRestore()[1] = 9;

		assertThat(session.dataRestore()).containsExactly(1, 2, 3);
	}

	@Test
	void restoringIntoASmallerBufferIsInvalidParam() {
		SamSession session = inPhase(SamSession.Phase.STARTED);
		session.dataStore(new byte[] { 1, 2, 3 });
		byte[] small = { 7, 7 };

		assertSamError(() -> session.dataRestore(small), SamError.INVALID_PARAM);
		assertThat(small).containsExactly(7, 7);
	}

	@Test
	void restoringIntoALargerBufferCopiesOnlyTheStoredBytes() {
		SamSession session = inPhase(SamSession.Phase.REGISTERED);
		session.dataStore(new byte[] { 1, 2, 3 });
		byte[] large = new byte[8];
		Arrays.fill(large, (byte) 0x55);

		assertThat(session.dataRestore(large)).isEqualTo(3);
		assertThat(large).containsExactly(1, 2, 3, 0x55, 0x55, 0x55, 0x55, 0x55);

		byte[] exact = new byte[3];
		assertThat(session.dataRestore(exact)).isEqualTo(3);
		assertThat(exact).containsExactly(1, 2, 3);
	}

	@Test
	void restoringWithNothingStoredCopiesNothingWhateverTheBufferSize() {
		SamSession session = inPhase(SamSession.Phase.REGISTERED);
		byte[] empty = new byte[0];
		byte[] some = { 5, 5 };

		assertThat(session.dataRestore(empty)).isZero();
		assertThat(session.dataRestore(some)).isZero();
		assertThat(some).containsExactly(5, 5);
	}

	@Test
	void storingNullOrNothingRemovesTheData() {
		SamSession session = inPhase(SamSession.Phase.REGISTERED);
		session.dataStore(new byte[] { 1, 2, 3 });

		session.dataStore(null);
		assertThat(session.dataGetSize()).isZero();
		assertThat(session.dataRestore()).isEmpty();

		session.dataStore(new byte[] { 1 });
		session.dataStore(new byte[0]);
		assertThat(session.dataGetSize()).isZero();
		assertThat(session.dataRestore(new byte[0])).isZero();
	}

	@Test
	void dataAboveTheMaximumIsTooBigAndKeepsWhatWasStored() {
		SamSession session = inPhase(SamSession.Phase.REGISTERED, SETTINGS.toBuilder().dataStoreMaxSize(8).build());
		session.dataStore(new byte[] { 1 });

		assertSamError(() -> session.dataStore(new byte[9]), SamError.TOO_BIG);
		assertThat(session.dataRestore()).containsExactly(1);

		session.dataStore(new byte[8]);
		assertThat(session.dataGetSize()).isEqualTo(8);
	}

	@Test
	void dataStoredBeforeRegisterSurvivesRegisterInAnUnsupervisedProcess() {
		SamSession session = inPhase(SamSession.Phase.INITIALIZED);
		session.dataStore(new byte[] { 4, 2 });

		session.register();

		assertThat(session.dataRestore()).containsExactly(4, 2);
		assertThat(session.status().dataSize()).isEqualTo(2);
	}

	// ---- markFailed, close
	// --------------------------------------------------------------------

	@Test
	void markFailedBeforeRegisterIsBadHandle() {
		SamSession session = inPhase(SamSession.Phase.INITIALIZED);

		assertSamError(session::markFailed, SamError.BAD_HANDLE);
	}

	@ParameterizedTest
	@EnumSource(value = SamSession.Phase.class, names = { "REGISTERED", "STARTED" })
	void markFailedWhenRegisteredMarksTheStateFailed(SamSession.Phase phase) {
		SamSession session = inPhase(phase);

		session.markFailed();

		assertThat(session.state()).isEqualTo(SamState.FAILED);
	}

	@ParameterizedTest
	@EnumSource(value = SamSession.Phase.class, names = { "INITIALIZED", "REGISTERED", "STARTED" })
	void closeFinalizesFromEveryUsableState(SamSession.Phase phase) {
		SamSession session = inPhase(phase);

		session.close();

		assertThat(session.phase()).isEqualTo(SamSession.Phase.FINALIZED);
	}

	@Test
	void closeTwiceIsBadHandle() {
		SamSession session = inPhase(SamSession.Phase.STARTED);
		session.close();

		assertSamError(session::close, SamError.BAD_HANDLE);
	}

	static Stream<Arguments> everyCallAfterClose() {
		return Stream.concat(Stream.of(call("initialize", session -> session.initialize(SETTINGS))),
				callsThatNeedAnInitializedHandle());
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("everyCallAfterClose")
	void everyCallAfterCloseFailsWithBadHandle(String name, Consumer<SamSession> call) {
		SamSession session = inPhase(SamSession.Phase.FINALIZED);

		assertSamError(() -> call.accept(session), SamError.BAD_HANDLE);
		assertThat(session.phase()).isEqualTo(SamSession.Phase.FINALIZED);
	}

	// ---- unsupervised extras
	// ------------------------------------------------------------------

	@Test
	void anUnsupervisedProcessCannotAskForARestart() {
		SamSession session = inPhase(SamSession.Phase.STARTED);

		assertSamError(session::requestRestart, SamError.NOT_SUPPORTED);
	}

	@Test
	void theLocalStatusDescribesTheUnsupervisedProcess() {
		SamSession session = inPhase(SamSession.Phase.STARTED);

		SamStatus status = session.status();

		assertThat(status.state()).isEqualTo(SamState.STARTED);
		assertThat(status.instanceId()).isZero();
		assertThat(status.pollPeriod()).isEqualTo(Duration.ofSeconds(1));
		assertThat(status.recoveryPolicy()).isEqualTo(RecoveryPolicy.RESTART);
		assertThat(status.pid()).isEqualTo(ProcessHandle.current().pid());
		assertThat(status.history()).isEmpty();
	}

	@Test
	void aProcessThatWouldSuperviseStaysOneJvmWhenTheSettingsSwitchSamOff() {
		SamSession session = new SamSession(new SupervisionDecision(Role.SUPERVISOR, "application start"), Map.of(),
				(settings, data) -> {
					throw new AssertionError("sam.enabled=false must not start a supervisor");
				});
		session.initialize(SETTINGS.toBuilder().enabled(false).build());

		assertThat(session.register()).isZero();
		assertThat(session.supervised()).isFalse();
	}

	@Test
	void aProcessThatWouldSuperviseSupervisesWithTheSettingsItWasGiven() {
		SamSettings[] handed = new SamSettings[1];
		SamSession session = new SamSession(new SupervisionDecision(Role.SUPERVISOR, "application start"), Map.of(),
				(settings, data) -> {
					handed[0] = settings;
					throw new IllegalStateException("supervising");
				});
		session.initialize(SETTINGS);

		assertThatThrownBy(session::register).hasMessage("supervising");
		assertThat(handed[0]).isEqualTo(SETTINGS);
	}

	// ---- helpers
	// ------------------------------------------------------------------------------

	private static SamSession newSession() {
		return new SamSession(new SupervisionDecision(Role.UNSUPERVISED, "test"), Map.of(), (settings, data) -> {
			throw new AssertionError("an unsupervised session must not become a supervisor");
		});
	}

	private static SamSession inPhase(SamSession.Phase phase) {
		return inPhase(phase, SETTINGS);
	}

	private static SamSession inPhase(SamSession.Phase phase, SamSettings settings) {
		SamSession session = newSession();
		if (phase == SamSession.Phase.NOT_INITIALIZED) {
			return session;
		}
		session.initialize(settings);
		if (phase == SamSession.Phase.INITIALIZED) {
			return session;
		}
		session.register();
		if (phase == SamSession.Phase.REGISTERED) {
			return session;
		}
		if (phase == SamSession.Phase.FINALIZED) {
			session.close();
			return session;
		}
		session.start();
		assertThat(session.phase()).isEqualTo(phase);
		return session;
	}

	private static Arguments call(String name, Consumer<SamSession> call) {
		return Arguments.of(name, call);
	}

	private static void assertSamError(ThrowingCallable call, SamError error) {
		assertThatExceptionOfType(SamException.class).isThrownBy(call)
			.satisfies(ex -> assertThat(ex.error()).isEqualTo(error));
	}

}
