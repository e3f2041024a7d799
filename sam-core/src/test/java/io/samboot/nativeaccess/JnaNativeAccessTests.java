package io.samboot.nativeaccess;

import java.util.Locale;

import io.samboot.PosixSignal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link NativeAccess#get()} as it is on Linux and macOS with JNA ({@link JnaLibc} under
 * {@link LinuxNativeAccess} or {@link MacNativeAccess}), calling the real C library from
 * this JVM; {@link JnaNativeAccessProcessTests} signals real processes.
 */
class JnaNativeAccessTests {

	private NativeAccess access;

	@BeforeEach
	void nativeAccess() {
		this.access = NativeAccess.get();
		assumeTrue(this.access.isNative(), "JNA is not available here");
	}

	@Test
	void isChosenOnLinuxAndMacOsWhenJnaIsPresent() {
		String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
		assumeTrue(os.startsWith("linux") || os.startsWith("mac"));
		assertThat(this.access).isInstanceOf(os.startsWith("linux") ? LinuxNativeAccess.class : MacNativeAccess.class)
			.extracting((access) -> ((PosixNativeAccess) access).libc)
			.isInstanceOf(JnaLibc.class);
	}

	@Test
	void getpidIsThisProcess() {
		assertThat(this.access.getpid()).isEqualTo(ProcessHandle.current().pid());
	}

	@Test
	void getppidIsThisProcessesParent() {
		assertThat(this.access.getppid()).isEqualTo(ProcessHandle.current().parent().orElseThrow().pid());
	}

	@Test
	void killRefusesPidsThatWouldWrapIntoProcessGroups() {
		// Narrowed without the check, this would be kill(INT_MIN, ...), which the kernel
		// refuses anyway.
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.access.kill(Integer.MAX_VALUE + 1L, PosixSignal.TERM))
			.withMessageContaining("process groups");
	}

	@Test
	void waitpidOfAProcessThatIsNotAChildIsEmpty() {
		// The parent is no child: ECHILD, read back through JNA's errno on this thread.
		assertThat(this.access.waitpidNoHang(this.access.getppid())).isEmpty();
	}

	@Test
	void libraryClassesAreJnas() {
		assertThat(NativeAccess.libraryClasses()).extracting(Class::getName).containsExactly("com.sun.jna.Native");
	}

}
