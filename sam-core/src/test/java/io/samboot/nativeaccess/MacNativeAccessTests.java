package io.samboot.nativeaccess;

import java.util.List;
import java.util.Map;

import io.samboot.PosixSignal;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link MacNativeAccess} over a {@link FakeLibc}: what macOS lacks is refused without a
 * call; what it shares with Linux is {@link PosixNativeAccess}'s, tested in
 * {@link LinuxNativeAccessTests}.
 */
class MacNativeAccessTests {

	private final FakeLibc libc = new FakeLibc();

	private final MacNativeAccess access = new MacNativeAccess(this.libc);

	@Test
	void signalsThroughTheLibrary() {
		assertThat(this.access.kill(42, PosixSignal.USR1)).isTrue();
		assertThat(this.libc.calls).containsExactly("kill(42, " + PosixSignal.USR1.number() + ")");
	}

	@Test
	void cannotArmAParentDeathSignal() {
		assertThat(this.access.setParentDeathSignal(PosixSignal.KILL)).isFalse();
		assertThat(this.libc.calls).isEmpty();
	}

	@Test
	void cannotBecomeASubreaper() {
		assertThat(this.access.setChildSubreaper()).isFalse();
		assertThat(this.libc.calls).isEmpty();
	}

	@Test
	void refusesToReplaceTheProgramSayingItIsLinuxOnly() {
		assertThatExceptionOfType(NativeAccessException.class)
			.isThrownBy(() -> this.access.exec("/jdk/bin/java", List.of("java"), Map.of()))
			.withMessageContaining("execve(/jdk/bin/java)")
			.withMessageContaining("only on Linux");
		assertThat(this.libc.calls).isEmpty();
	}

	@Test
	void namesTheLibraryAndMacOs() {
		assertThat(this.access).hasToString("fake libc (macOS C library)");
	}

}
