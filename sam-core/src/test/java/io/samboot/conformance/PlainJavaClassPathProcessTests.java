package io.samboot.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import com.sun.jna.Native;
import io.samboot.Sam;
import io.samboot.testsupport.SupervisedProcess;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a user of the plain-Java API does: a program of their own, compiled with javac
 * against sam-core and JNA alone, run with nothing else on the class path (no test
 * support, no JUnit, no Spring).
 */
@Tag("process")
class PlainJavaClassPathProcessTests {

	private static final Duration STEP = Duration.ofSeconds(20);

	@Test
	void aProgramCompiledAgainstSamCoreAndJnaAloneIsSupervised(@TempDir Path directory) throws Exception {
		String classPath = location(Sam.class) + java.io.File.pathSeparator + location(Native.class);
		Path source = directory.resolve("TestSam.java");
		try (InputStream in = getClass().getResourceAsStream("/plain-java/TestSam.java")) {
			Files.copy(in, source);
		}
		JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
		assertThat(javac.run(null, null, null, "-cp", classPath, "-d", directory.toString(), source.toString()))
			.as("javac -cp sam-core:jna TestSam.java")
			.isZero();

		try (Program program = Program.start(classPath + java.io.File.pathSeparator + directory)) {
			program.awaitLine("TESTSAM iid=1 stopped sending", STEP);
			program.awaitLine("instance 1 (pid ", STEP);
			program.awaitLine("health-check-timeout", STEP);
			program.awaitLine("TESTSAM iid=2", STEP);
			program.awaitLine("TESTSAM restored=kept by instance 1", STEP);
			program.awaitLine("TESTSAM second initialize: BAD_HANDLE", STEP);
			assertThat(program.awaitExit(STEP)).as(program.toString()).isZero();
			assertThat(program.find(line -> line.contains("FAIL"))).as(program.toString()).isEmpty();
		}
	}

	private static Path location(Class<?> type) throws URISyntaxException {
		return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
	}

	/**
	 * {@code java -cp <classPath> TestSam}: the supervisor, whose instances share its
	 * output.
	 */
	private static final class Program extends SupervisedProcess {

		private Program(Process process) {
			super(process);
		}

		static Program start(String classPath) throws IOException {
			String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
			return new Program(launch(List.of(java, "-XX:TieredStopAtLevel=1", "-cp", classPath, "TestSam"), Map.of()));
		}

	}

}
