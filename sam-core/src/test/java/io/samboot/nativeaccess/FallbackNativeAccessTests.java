package io.samboot.nativeaccess;

import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.samboot.PosixSignal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The {@link ProcessHandle} fallback, used directly, in this JVM;
 * {@link FallbackNativeAccessProcessTests} signals real processes.
 */
class FallbackNativeAccessTests {

	private final FallbackNativeAccess access = new FallbackNativeAccess();

	@Test
	void getpidIsThisProcess() {
		assertThat(this.access.getpid()).isEqualTo(ProcessHandle.current().pid());
	}

	@Test
	void getppidIsThisProcessesParent() {
		assertThat(this.access.getppid()).isEqualTo(ProcessHandle.current().parent().orElseThrow().pid());
	}

	@Test
	void killRefusesProcessGroups() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.access.kill(0, PosixSignal.TERM));
		assertThatIllegalArgumentException().isThrownBy(() -> this.access.kill(-1, PosixSignal.KILL));
	}

	@Test
	void cannotArmParentDeathSignal() {
		assertThat(this.access.setParentDeathSignal(PosixSignal.KILL)).isFalse();
	}

	@Test
	void cannotReplaceTheProgramAndSaysJnaIsNeeded() {
		assertThatExceptionOfType(NativeAccessException.class)
			.isThrownBy(() -> this.access.exec("/jdk/bin/java", List.of("java"), Map.of()))
			.withMessageContaining("execve(/jdk/bin/java)")
			.withMessageContaining("net.java.dev.jna:jna");
	}

	@Test
	void isNotNative() {
		assertThat(this.access.isNative()).isFalse();
	}

	@Test
	void fifoIsRefusedBeforeItIsOpened(@TempDir Path directory) throws Exception {
		Path fifo = directory.resolve("42");
		assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
		int uid = (Integer) Files.getAttribute(fifo, "unix:uid");

		assertThatExceptionOfType(FileSystemException.class)
			.isThrownBy(() -> new FallbackNativeAccess().openOwnedRegularFile(fifo, uid))
			.withMessageEndingWith("not a regular file but a FIFO");
	}

}
