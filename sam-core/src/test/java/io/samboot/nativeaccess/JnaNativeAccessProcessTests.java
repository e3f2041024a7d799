package io.samboot.nativeaccess;

import io.samboot.testsupport.ChildJvm;
import io.samboot.testsupport.OutputLines;
import io.samboot.testsupport.TestProcesses;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.samboot.PosixSignal;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The JNA implementation as {@link NativeAccess#get()} returns it on Linux and macOS, against real
 * processes this test starts.
 */
@Tag("process")
class JnaNativeAccessProcessTests {

    private final TestProcesses processes = new TestProcesses();

    private NativeAccess access;

    @BeforeEach
    void nativeAccess() {
        this.access = NativeAccess.get();
        assumeTrue(this.access.isNative(), "JNA is not available here");
    }

    @AfterEach
    void stopProcesses() {
        this.processes.close();
    }

    @Test
    void isChosenOnLinuxAndMacOsWhenJnaIsPresent() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        assumeTrue(os.startsWith("linux") || os.startsWith("mac"));
        assertThat(this.access).isInstanceOf(JnaNativeAccess.class);
    }

    @Test
    void getpidIsThisProcess() {
        assertThat(this.access.getpid()).isEqualTo(ProcessHandle.current().pid());
    }

    @Test
    void getppidIsThisProcessesParent() {
        assertThat(this.access.getppid()).isEqualTo(ProcessHandle.current().parent().orElseThrow().pid());
    }

    @ParameterizedTest
    @EnumSource(names = { "TERM", "KILL", "USR1" })
    void killDeliversTheSignal(PosixSignal signal) throws Exception {
        Process sleep = this.processes.startSleep();
        assertThat(this.access.kill(sleep.pid(), signal)).isTrue();
        assertThat(sleep.waitFor(10, TimeUnit.SECONDS)).as("sleep ended").isTrue();
        assertThat(sleep.exitValue()).isEqualTo(128 + signal.number());
    }

    @Test
    void killOfAbsentProcessReturnsFalse() throws Exception {
        long pid = this.processes.reapedPid();
        assumeTrue(ProcessHandle.of(pid).isEmpty(), "PID reused already");
        assertThat(this.access.kill(pid, PosixSignal.TERM)).isFalse();
    }

    @Test
    void killRefusesPidsThatWouldWrapIntoProcessGroups() {
        // Narrowed without the check, this would be kill(INT_MIN, ...), which the kernel refuses anyway.
        assertThatIllegalArgumentException().isThrownBy(() -> this.access.kill(Integer.MAX_VALUE + 1L, PosixSignal.TERM))
            .withMessageContaining("process groups");
    }
}
