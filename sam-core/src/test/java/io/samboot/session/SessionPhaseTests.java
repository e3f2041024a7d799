package io.samboot.session;

import io.samboot.SamError;
import io.samboot.SamException;
import io.samboot.session.SamSession.Phase;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The handle's phase and corosync's BAD_HANDLE for a call made in the wrong one. */
class SessionPhaseTests {

	private final SessionPhase phase = new SessionPhase();

	@Test
	void aNewHandleIsNotInitialized() {
		assertThat(this.phase.get()).isEqualTo(Phase.NOT_INITIALIZED);
	}

	@Test
	void thePhaseIsWhatWasLastSet() {
		this.phase.set(Phase.REGISTERED);

		assertThat(this.phase.get()).isEqualTo(Phase.REGISTERED);
	}

	@Test
	void aCallInItsOnePhaseIsAllowed() {
		this.phase.set(Phase.STARTED);

		assertThatCode(() -> this.phase.require("hcSend", Phase.STARTED)).doesNotThrowAnyException();
	}

	@Test
	void aCallInAnyOfItsPhasesIsAllowed() {
		this.phase.set(Phase.FINALIZED);

		assertThatCode(() -> this.phase.require("status", Phase.REGISTERED, Phase.STARTED, Phase.FINALIZED))
			.doesNotThrowAnyException();
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			value = { "NOT_INITIALIZED | SAM is not initialized",
					"INITIALIZED     | SAM is initialized but not registered",
					"REGISTERED      | health checking is not started", "FINALIZED       | SAM was closed" })
	void aCallInAnotherPhaseIsBadHandleNamingTheCallAndWhy(Phase current, String why) {
		this.phase.set(current);

		assertBadHandle(() -> this.phase.require("hcSend", Phase.STARTED),
				"BAD_HANDLE: hcSend() is not allowed here: " + why);
	}

	@Test
	void aCallInNoneOfItsPhasesIsBadHandle() {
		this.phase.set(Phase.STARTED);

		assertBadHandle(() -> this.phase.require("register", Phase.INITIALIZED, Phase.NOT_INITIALIZED),
				"BAD_HANDLE: register() is not allowed here: health checking is started");
	}

	@ParameterizedTest
	@EnumSource(value = Phase.class, names = { "INITIALIZED", "REGISTERED", "STARTED" })
	void theDataCallsAreAllowedOnceInitializedAndUntilClosed(Phase current) {
		this.phase.set(current);

		assertThatCode(() -> this.phase.requireDataPhase("dataRestore")).doesNotThrowAnyException();
	}

	@ParameterizedTest
	@EnumSource(value = Phase.class, names = { "NOT_INITIALIZED", "FINALIZED" })
	void theDataCallsAreBadHandleBeforeInitializeAndAfterClose(Phase current) {
		this.phase.set(current);

		assertThatExceptionOfType(SamException.class).isThrownBy(() -> this.phase.requireDataPhase("dataGetSize"))
			.withMessageStartingWith("BAD_HANDLE: dataGetSize() is not allowed here: ")
			.satisfies(ex -> assertThat(ex.error()).isEqualTo(SamError.BAD_HANDLE));
	}

	private static void assertBadHandle(ThrowingCallable call, String message) {
		assertThatExceptionOfType(SamException.class).isThrownBy(call)
			.withMessage(message)
			.satisfies(ex -> assertThat(ex.error()).isEqualTo(SamError.BAD_HANDLE));
	}

}
