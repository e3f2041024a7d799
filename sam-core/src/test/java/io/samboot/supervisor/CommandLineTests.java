package io.samboot.supervisor;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assumptions.assumeThat;

class CommandLineTests {

	@Test
	void parsesNulSeparatedArgumentsWithSpacesQuotesAndAnEmptyOne() {
		byte[] cmdline = nulTerminated("java", "-Dgreeting=hello world", "-cp", "a.jar:b c.jar", "Main", "",
				"it's \"quoted\"", "two\nlines");

		assertThat(CommandLine.parseProcCmdline(cmdline).arguments()).containsExactly("java", "-Dgreeting=hello world",
				"-cp", "a.jar:b c.jar", "Main", "", "it's \"quoted\"", "two\nlines");
	}

	@Test
	void keepsATrailingEmptyArgument() {
		assertThat(CommandLine.parseProcCmdline(nulTerminated("java", "Main", "")).arguments()).containsExactly("java",
				"Main", "");
	}

	@Test
	void acceptsAMissingFinalNul() {
		byte[] cmdline = "java\0Main\0arg".getBytes(StandardCharsets.UTF_8);

		assertThat(CommandLine.parseProcCmdline(cmdline).arguments()).containsExactly("java", "Main", "arg");
	}

	@Test
	void decodesNonAsciiArgumentsWithTheGivenCharset() {
		byte[] cmdline = nulTerminated("java", "Main", "grüße");

		assertThat(CommandLine.parseProcCmdline(cmdline, StandardCharsets.UTF_8).arguments()).containsExactly("java",
				"Main", "grüße");
	}

	@Test
	void rejectsAnEmptyCmdline() {
		assertThatIllegalArgumentException().isThrownBy(() -> CommandLine.parseProcCmdline(new byte[0]));
	}

	@Test
	void argumentsAreImmutableAndExecutableIsFirst() {
		CommandLine commandLine = new CommandLine(List.of("/usr/bin/java", "Main"));

		assertThat(commandLine.executable()).isEqualTo("/usr/bin/java");
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> commandLine.arguments().add("more"));
	}

	@Test
	void toStringQuotesForAShellOnOneLine() {
		CommandLine commandLine = new CommandLine(
				List.of("/usr/bin/java", "-Dx=a b", "-cp", "a.jar:b.jar", "Main", "", "it's", "two\nlines"));

		assertThat(commandLine)
			.hasToString("/usr/bin/java '-Dx=a b' -cp a.jar:b.jar Main '' 'it'\\''s' $'two\\nlines'");
	}

	@Test
	void fallbackUsesProcessHandleCommandAndArguments() {
		CommandLine commandLine = CommandLine.fromProcessHandle(
				new FixedInfo(Optional.of("/opt/jdk/bin/java"), Optional.of(new String[] { "Main", "x" })));

		assertThat(commandLine.arguments()).containsExactly("/opt/jdk/bin/java", "Main", "x");
	}

	@Test
	void fallbackRefusesTruncatedArguments() {
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> CommandLine
				.fromProcessHandle(new FixedInfo(Optional.of("/opt/jdk/bin/java"), Optional.of(new String[0]))))
			.withMessageContaining("Cannot read this JVM's command line")
			.withMessageContaining("/proc/self/cmdline");
	}

	@Test
	void currentIsThisJvmsCommandLineWithAnAbsoluteExecutable() {
		assumeThat(Files.isReadable(Path.of("/proc/self/cmdline"))).as("Linux /proc").isTrue();

		CommandLine commandLine = CommandLine.current();

		Path executable = Path.of(commandLine.executable());
		assertThat(executable).isAbsolute();
		assertThat(Files.isExecutable(executable)).isTrue();
		// An IDE starts this JVM with "-cp <java.class.path> Main"; Surefire with "-jar
		// surefirebooter.jar" and then sets java.class.path to the test class path
		// itself.
		assertThat(commandLine.arguments()).anySatisfy((argument) -> assertThat(
				argument.equals(System.getProperty("java.class.path")) || argument.matches(".*surefirebooter.*\\.jar"))
			.isTrue());
		// The launcher joins the main class (or jar) and its arguments with spaces into
		// sun.java.command.
		assertThat(String.join(" ", commandLine.arguments())).endsWith(" " + System.getProperty("sun.java.command"));
		// Below 4096 bytes ProcessHandle.Info has the same arguments (JDK-reported,
		// argv[0] left out).
		ProcessHandle.current()
			.info()
			.arguments()
			.filter((arguments) -> arguments.length > 0)
			.ifPresent((arguments) -> assertThat(commandLine.arguments().subList(1, commandLine.arguments().size()))
				.containsExactly(arguments));
	}

	private static byte[] nulTerminated(String... arguments) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		for (String argument : arguments) {
			bytes.writeBytes(argument.getBytes(StandardCharsets.UTF_8));
			bytes.write(0);
		}
		return bytes.toByteArray();
	}

	/** A {@link ProcessHandle.Info} as macOS would give it. */
	private record FixedInfo(Optional<String> command, Optional<String[]> arguments) implements ProcessHandle.Info {

		@Override
		public Optional<String> commandLine() {
			return Optional.empty();
		}

		@Override
		public Optional<Instant> startInstant() {
			return Optional.empty();
		}

		@Override
		public Optional<Duration> totalCpuDuration() {
			return Optional.empty();
		}

		@Override
		public Optional<String> user() {
			return Optional.empty();
		}

	}

}
