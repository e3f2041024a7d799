package io.samboot.corosync;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.samboot.testsupport.ChildJvm;
import io.samboot.testsupport.TestProcesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What only a fresh JVM shows: the system property that names the library, and a class
 * path without JNA (a user who did not add it), where the check must explain instead of
 * failing with {@link NoClassDefFoundError}.
 */
@Tag("process")
class CorosyncAvailabilityFreshJvmProcessTests {

	private final TestProcesses processes = new TestProcesses();

	@AfterEach
	void stopProcesses() {
		this.processes.close();
	}

	@Test
	void theSystemPropertyNamesTheLibrary() throws Exception {
		String output = run(ChildJvm.classPath(), List.of("-Dsam.corosync.quorum-library=/nonexistent/libquorum.so.5"));
		assertThat(output).contains("UNAVAILABLE service=quorum reason=LIBRARY_MISSING",
				"/nonexistent/libquorum.so.5 cannot be loaded", "apt-get install corosync libquorum5 libcmap4");
	}

	@Test
	void withoutJnaTheCheckSaysWhatToAdd() throws Exception {
		String output = run(ChildJvm.classPathWithoutJna(), List.of());
		assertThat(output).contains("UNAVAILABLE service=quorum reason=JNA_MISSING", "net.java.dev.jna:jna")
			.doesNotContain("NoClassDefFoundError");
	}

	private String run(String classPath, List<String> options) throws Exception {
		Process process = this.processes.start(ChildJvm.command(classPath, AvailabilityFixture.class, options));
		String output = new String(process.getInputStream().readAllBytes());
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		return output;
	}

}
