package io.samboot.supervisor;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.samboot.log.SamLog;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The supervisor's log lines. */
class SupervisorConsoleTests {

	@Test
	void aLineCarriesTheLevelThePidAndTheSupervisorsMark() {
		CapturedLog captured = new CapturedLog();

		captured.log.warn("something");

		assertThat(captured.lines()).containsExactly("WARN something");
	}

	@Test
	void aLineLooksLikeSpringBootsConsole() {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		SamLog log = SamLog.to(new SupervisorConsole(new PrintStream(bytes, true, StandardCharsets.UTF_8), 4242));

		log.info("supervising");

		assertThat(bytes.toString(StandardCharsets.UTF_8)).matches(
				"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\S+  INFO 4242 --- \\[sam-supervisor\\] supervising\\R");
	}

	@Test
	void aLineWithCharactersBeyondAsciiIsWrittenInTheConsolesCharset() {
		ByteArrayOutputStream utf8 = new ByteArrayOutputStream();
		ByteArrayOutputStream latin1 = new ByteArrayOutputStream();
		SamLog toUtf8 = SamLog.to(new SupervisorConsole(new PrintStream(utf8, true, StandardCharsets.UTF_8), 4242));
		SamLog toLatin1 = SamLog
			.to(new SupervisorConsole(new PrintStream(latin1, true, StandardCharsets.ISO_8859_1), 4242));

		toUtf8.info("caf\u00e9 \u2192 ok");
		toLatin1.info("caf\u00e9");
		toUtf8.info("plain");

		assertThat(utf8.toString(StandardCharsets.UTF_8))
			.contains("--- [sam-supervisor] caf\u00e9 \u2192 ok" + System.lineSeparator())
			.endsWith("--- [sam-supervisor] plain" + System.lineSeparator());
		assertThat(latin1.toString(StandardCharsets.ISO_8859_1))
			.endsWith("--- [sam-supervisor] caf\u00e9" + System.lineSeparator());
	}

	@Test
	void debugLinesAreNotWritten() {
		CapturedLog captured = new CapturedLog();

		captured.log.debug("detail");

		assertThat(captured.log.isDebugEnabled()).isFalse();
		assertThat(captured.lines()).isEmpty();
	}

	@Test
	void aDryRunWritesNothingAndHoldsNothingInAnyFormatAndLeavesTheHoldAsItWas() {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		SupervisorConsole console = new SupervisorConsole(new PrintStream(bytes, true, StandardCharsets.UTF_8), 4242);
		SamLog dryRun = SamLog.to(console.dryRun());
		for (String format : List.of("ecs", "logstash", "gelf", "not-a-format")) {
			console.configure(Map.of("logging.structured.format.console", format));
			bytes.reset();
			dryRun.info("rehearsed \u00e9");
			dryRun.error("rehearsed", new IllegalStateException("not thrown"));
			assertThat(bytes.size()).as(format).isZero();
		}
		console.holdUntilConfigured();
		dryRun.error("an error would end the hold");
		assertThat(console.isHolding()).isTrue();
		console.release();
		assertThat(bytes.toString(StandardCharsets.UTF_8)).doesNotContain("rehearsed", "would end the hold");
	}

	@Test
	void heldLinesAreWrittenWhenTheHoldEndsAndItsTimerThreadEndsWithIt() throws InterruptedException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		SupervisorConsole console = new SupervisorConsole(new PrintStream(bytes, true, StandardCharsets.UTF_8), 4242);
		Set<Thread> before = Thread.getAllStackTraces().keySet();
		console.holdUntilConfigured();
		Thread timer = Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().equals("sam-log-hold") && !before.contains(thread))
			.findFirst()
			.orElseThrow();
		SamLog.to(console).info("early");
		assertThat(bytes.size()).isZero();

		console.release();

		assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("early");
		// Not after the rest of its 30 s sleep.
		timer.join(Duration.ofSeconds(10).toMillis());
		assertThat(timer.isAlive()).isFalse();
	}

	@Test
	void wholeSecondsAreWrittenInSecondsAndTheRestInMilliseconds() {
		assertThat(DurationText.of(Duration.ofSeconds(4))).isEqualTo("4s");
		assertThat(DurationText.of(Duration.ofMillis(250))).isEqualTo("250ms");
		assertThat(DurationText.of(Duration.ofMillis(4250))).isEqualTo("4250ms");
	}

	@Test
	void zeroIsWrittenAsNone() {
		assertThat(DurationText.of(Duration.ZERO)).isEqualTo("0s (none)");
	}

}
