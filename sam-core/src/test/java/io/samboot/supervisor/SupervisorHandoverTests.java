package io.samboot.supervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.samboot.RecoveryPolicy;
import io.samboot.SamSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/** The handover file between the JVM the user started and the lean supervisor JVM. */
class SupervisorHandoverTests {

	@TempDir
	Path temp;

	@Test
	void settingsDataAndEnvironmentCrossIntactAndTheFileIsGone() throws IOException {
		SamSettings settings = SamSettings.builder()
			.timeInterval(Duration.ofMillis(700))
			.recoveryPolicy(RecoveryPolicy.QUIT)
			.build();
		byte[] data = { 0, 1, 2, (byte) 0xff };
		Map<String, String> environment = Map.of("JAVA_TOOL_OPTIONS", "-javaagent:/a b.jar -Dx=\"y\"");
		SupervisorHandover.FirstInstance first = new SupervisorHandover.FirstInstance(4242, new byte[] { 9, 8, 7 },
				123_456_789L, 1_790_000_000_000L);
		Path file = new SupervisorHandover(settings, data, environment, first).writeTo(this.temp);

		SupervisorHandover read = SupervisorHandover.readAndDelete(file);

		assertThat(read.settings()).isEqualTo(settings);
		assertThat(read.data()).containsExactly(data);
		assertThat(read.instanceEnvironment()).isEqualTo(environment);
		assertThat(read.firstInstance().pid()).isEqualTo(4242);
		assertThat(read.firstInstance().secret()).containsExactly(9, 8, 7);
		assertThat(read.firstInstance().launchedNanos()).isEqualTo(123_456_789L);
		assertThat(read.firstInstance().launchedEpochMillis()).isEqualTo(1_790_000_000_000L);
		assertThat(file).doesNotExist();
	}

	@Test
	void noDataStaysNoDataAndNoInstanceNoInstance() throws IOException {
		Path file = new SupervisorHandover(SamSettings.defaults(), null, Map.of(), null).writeTo(this.temp);
		SupervisorHandover read = SupervisorHandover.readAndDelete(file);
		assertThat(read.data()).isNull();
		assertThat(read.firstInstance()).isNull();
		assertThat(read.parentDeathPrefix()).isNull();
	}

	@Test
	void theParentDeathPrefixCrossesAsFoundEvenWhenEmpty() throws IOException {
		List<String> prefix = List.of("/usr/bin/setpriv", "--pdeathsig", "KILL", "--");
		for (List<String> found : List.of(prefix, List.<String>of())) {
			Path file = new SupervisorHandover(SamSettings.defaults(), null, Map.of(), null, false, List.of(), found)
				.writeTo(this.temp);
			assertThat(SupervisorHandover.readAndDelete(file).parentDeathPrefix()).isEqualTo(found);
		}
	}

	@Test
	void aTruncatedOrForeignFileIsRefusedAndRemoved() throws IOException {
		Path file = new SupervisorHandover(SamSettings.defaults(), new byte[10], Map.of(), null).writeTo(this.temp);
		byte[] bytes = Files.readAllBytes(file);
		Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 3));
		assertThatIOException().isThrownBy(() -> SupervisorHandover.readAndDelete(file))
			.withMessageContaining("not a complete supervisor handover");
		assertThat(file).doesNotExist();

		Files.write(file, new byte[] { 0, 0, 0, 9 });
		assertThatIOException().isThrownBy(() -> SupervisorHandover.readAndDelete(file))
			.withMessageContaining("format 9");
	}

}
