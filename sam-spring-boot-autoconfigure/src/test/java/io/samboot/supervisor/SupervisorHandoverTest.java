package io.samboot.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

import io.samboot.RecoveryPolicy;
import io.samboot.SamSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The handover file between the JVM the user started and the lean supervisor JVM. */
class SupervisorHandoverTest {

    @TempDir
    Path temp;

    @Test
    void settingsDataAndEnvironmentCrossIntactAndTheFileIsGone() throws IOException {
        SamSettings settings = SamSettings.builder().timeInterval(Duration.ofMillis(700))
            .recoveryPolicy(RecoveryPolicy.QUIT).build();
        byte[] data = {0, 1, 2, (byte) 0xff};
        Map<String, String> environment = Map.of("JAVA_TOOL_OPTIONS", "-javaagent:/a b.jar -Dx=\"y\"");
        Path file = new SupervisorHandover(settings, data, environment).writeTo(this.temp);

        SupervisorHandover read = SupervisorHandover.readAndDelete(file);

        assertThat(read.settings()).isEqualTo(settings);
        assertThat(read.data()).containsExactly(data);
        assertThat(read.instanceEnvironment()).isEqualTo(environment);
        assertThat(file).doesNotExist();
    }

    @Test
    void noDataStaysNoData() throws IOException {
        Path file = new SupervisorHandover(SamSettings.defaults(), null, Map.of()).writeTo(this.temp);
        assertThat(SupervisorHandover.readAndDelete(file).data()).isNull();
    }

    @Test
    void aTruncatedOrForeignFileIsRefusedAndRemoved() throws IOException {
        Path file = new SupervisorHandover(SamSettings.defaults(), new byte[10], Map.of()).writeTo(this.temp);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 3));
        assertThatIOException().isThrownBy(() -> SupervisorHandover.readAndDelete(file))
            .withMessageContaining("not a complete supervisor handover");
        assertThat(file).doesNotExist();

        Files.write(file, new byte[] {0, 0, 0, 9});
        assertThatIOException().isThrownBy(() -> SupervisorHandover.readAndDelete(file))
            .withMessageContaining("format 9");
    }
}
