package io.samboot.nativeaccess;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.samboot.testsupport.ChildJvm;
import io.samboot.testsupport.OutputLines;
import io.samboot.testsupport.TestProcesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A fresh JVM that loads JNA from a cache directory maps JNA's library from the copy
 * beside it there, and unpacks its own without one.
 */
@Tag("process")
@EnabledOnOs(OS.LINUX)
class JnaDispatchLibraryProcessTests {

	private final TestProcesses processes = new TestProcesses();

	@TempDir
	Path directory;

	@AfterEach
	void stopProcesses() {
		this.processes.close();
	}

	@Test
	void aJvmLoadingJnaFromTheCacheMapsTheCopyBesideIt() throws Exception {
		Path cache = Files.createDirectory(this.directory.resolve("lean-0123"));
		Path jar = JnaDispatchLibraryTests.copyOfJnasJar(cache);
		JnaDispatchLibrary.copyBeside(List.of(jar));

		assertThat(dispatchLibraryMappedBy(jar)).isEqualTo(cache.resolve(JnaDispatchLibrary.FILE_NAME).toString());
	}

	@Test
	void withoutTheCopyJnaUnpacksItsOwn() throws Exception {
		Path cache = Files.createDirectory(this.directory.resolve("lean-0123"));
		Path jar = JnaDispatchLibraryTests.copyOfJnasJar(cache);

		assertThat(dispatchLibraryMappedBy(jar)).doesNotStartWith(cache.toString()).contains("jna");
	}

	private String dispatchLibraryMappedBy(Path jnaJar) throws Exception {
		String classPath = ChildJvm.classPathWithoutJna() + File.pathSeparator + jnaJar;
		Process probe = this.processes.start(
				ChildJvm.command(classPath, NativeAccessProbeFixture.class, List.of("-Djna.tmpdir=" + this.directory)));
		OutputLines output = OutputLines.of(probe.getInputStream());
		assertThat(probe.waitFor(60, TimeUnit.SECONDS)).as("probe ended").isTrue();
		await().atMost(Duration.ofSeconds(5)).until(output::isComplete);
		assertThat(output.find((line) -> line.startsWith("native=true"))).as(output.toString()).isPresent();
		return output.find((line) -> line.startsWith("dispatch="))
			.map((line) -> line.substring("dispatch=".length()))
			.orElseThrow(() -> new AssertionError(output.toString()));
	}

}
