package io.samboot.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import io.samboot.testsupport.TestProcesses;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A supervisor killed with SIGKILL cannot remove its control directory; the next one does. */
class ControlServerStaleDirectoryTest {

    @TempDir
    Path base;

    @Test
    void removesTheDirectoryOfADeadSupervisorAndKeepsTheOthers() throws Exception {
        long deadPid;
        try (TestProcesses processes = new TestProcesses()) {
            deadPid = processes.reapedPid();
        }
        Path stale = Files.createDirectory(this.base.resolve("sam-" + deadPid + "-42"));
        Files.createFile(stale.resolve("control.sock"));
        Path live = Files.createDirectory(this.base.resolve("sam-" + ProcessHandle.current().pid() + "-43"));
        Files.createFile(live.resolve("control.sock"));
        Path notEmpty = Files.createDirectory(this.base.resolve("sam-" + deadPid + "-44"));
        Files.createFile(notEmpty.resolve("something-else"));
        Path unrelated = Files.createDirectory(this.base.resolve("sam-other"));

        ControlServer.removeStaleDirectories(this.base);

        assertThat(stale).doesNotExist();
        assertThat(live).exists();
        assertThat(notEmpty).exists();
        assertThat(unrelated).exists();
    }
}
