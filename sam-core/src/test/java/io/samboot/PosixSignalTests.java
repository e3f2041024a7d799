package io.samboot;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assumptions.assumeThat;

class PosixSignalTests {

	private static final boolean LINUX = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");

	@ParameterizedTest(name = "\"{0}\" -> {1}")
	@CsvSource({ "TERM, TERM", "SIGTERM, TERM", "term, TERM", "sigterm, TERM", "SigTerm, TERM", "' TERM ', TERM",
			"'\tSIGHUP\n', HUP", "usr1, USR1", "SIGUSR1, USR1", "int, INT", "KILL, KILL", "sigkill, KILL", "USR2, USR2",
			"SIGSTOP, STOP", "quit, QUIT" })
	void parsesNamesWithOrWithoutSigInAnyCase(String text, PosixSignal expected) {
		assertThat(PosixSignal.parse(text)).isEqualTo(expected);
	}

	@ParameterizedTest
	@EnumSource(PosixSignal.class)
	void parsesEverySignalByItsNumberOnThisSystemAndByBothNames(PosixSignal signal) {
		assertThat(PosixSignal.parse(Integer.toString(signal.number()))).isEqualTo(signal);
		assertThat(PosixSignal.parse(" " + signal.number() + " ")).isEqualTo(signal);
		assertThat(PosixSignal.parse(signal.name())).isEqualTo(signal);
		assertThat(PosixSignal.parse(signal.signalName())).isEqualTo(signal);
		assertThat(PosixSignal.ofNumber(signal.number())).contains(signal);
	}

	@ParameterizedTest(name = "{0} is {1} on Linux")
	@CsvSource({ "HUP, 1", "INT, 2", "QUIT, 3", "ILL, 4", "ABRT, 6", "BUS, 7", "FPE, 8", "KILL, 9", "USR1, 10",
			"SEGV, 11", "USR2, 12", "PIPE, 13", "ALRM, 14", "TERM, 15", "CHLD, 17", "CONT, 18", "STOP, 19", "TSTP, 20",
			"TTIN, 21", "TTOU, 22" })
	void numbersAreLinuxsOnLinux(PosixSignal signal, int number) {
		assumeThat(LINUX).as("running on Linux").isTrue();

		assertThat(signal.number()).isEqualTo(number);
		assertThat(PosixSignal.parse(Integer.toString(number))).isEqualTo(signal);
	}

	@Test
	void numbersAreDistinct() {
		assertThat(EnumSet.allOf(PosixSignal.class).stream().map(PosixSignal::number).distinct())
			.hasSize(PosixSignal.values().length);
	}

	@ParameterizedTest
	@NullSource
	@ValueSource(strings = { "", "   ", "SIG", "sig", "TERMINATE", "SIGTERMX", "SIG TERM", "0", "99", "-15", "+15",
			"15.0", "0x0f", "99999999999999999999", "RTMIN", "SIGWINCH" })
	void refusesTextThatNamesNoSignalItKnows(String text) {
		assertThatIllegalArgumentException().isThrownBy(() -> PosixSignal.parse(text));
	}

	@Test
	void anUnknownNumberHasNoSignal() {
		assertThat(PosixSignal.ofNumber(0)).isEmpty();
		assertThat(PosixSignal.ofNumber(64)).isEmpty();
		assertThat(PosixSignal.ofNumber(-1)).isEmpty();
	}

	@ParameterizedTest
	@EnumSource(PosixSignal.class)
	void signalNameHasTheSigPrefix(PosixSignal signal) {
		assertThat(signal.signalName()).isEqualTo("SIG" + signal.name());
	}

	@Test
	void onlyTermIntHupUsr1AndKillCanWarn() {
		Set<PosixSignal> warning = EnumSet.of(PosixSignal.TERM, PosixSignal.INT, PosixSignal.HUP, PosixSignal.USR1,
				PosixSignal.KILL);
		for (PosixSignal signal : PosixSignal.values()) {
			assertThat(signal.isWarningSignal()).as("%s can warn", signal).isEqualTo(warning.contains(signal));
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "TERM", "sigint", "HUP", "SIGUSR1", "KILL", "15", "9" })
	void parseWarningSignalAcceptsTheWarningSignals(String text) {
		assertThat(PosixSignal.parseWarningSignal(text).isWarningSignal()).isTrue();
	}

	@ParameterizedTest(name = "{0}: {1}")
	@CsvSource(delimiter = '|',
			value = { "USR2|HotSpot uses SIGUSR2", "SIGSTOP|stops the process", "tstp|stops the process",
					"TTIN|stops the process", "TTOU|stops the process", "QUIT|only prints a thread dump",
					"CONT|ignores it", "CHLD|ignores it", "PIPE|ignores it", "SEGV|crash", "ILL|crash", "ABRT|crash",
					"FPE|crash", "BUS|crash", "ALRM|crash" })
	void parseWarningSignalRefusesOthersSayingWhyAndWhatToUse(String text, String reason) {
		PosixSignal signal = PosixSignal.parse(text);

		assertThatIllegalArgumentException().isThrownBy(() -> PosixSignal.parseWarningSignal(text))
			.withMessageContaining(signal.signalName())
			.withMessageContaining(reason)
			.withMessageContaining("use TERM, INT, HUP, USR1, or KILL");
	}

	@Test
	void parseWarningSignalRefusesUnknownTextLikeParse() {
		assertThatIllegalArgumentException().isThrownBy(() -> PosixSignal.parseWarningSignal("nonsense"))
			.withMessageContaining("nonsense");
		assertThatIllegalArgumentException().isThrownBy(() -> PosixSignal.parseWarningSignal(null));
	}

}
