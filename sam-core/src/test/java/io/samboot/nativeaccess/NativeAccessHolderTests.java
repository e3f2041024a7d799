package io.samboot.nativeaccess;

import java.util.Locale;

import io.samboot.log.SamLog.Level;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * How {@link NativeAccessHolder#choose} picks the implementation and the line it logs
 * about it.
 */
class NativeAccessHolderTests {

	@Test
	void propertyForcesTheFallback() {
		NativeAccessHolder.Choice choice = NativeAccessHolder.choose(" Fallback ", "Linux");
		assertThat(choice.access()).isInstanceOf(FallbackNativeAccess.class);
		assertThat(choice.level()).isEqualTo(Level.INFO);
		assertThat(choice.message()).contains("sam.native=fallback");
	}

	@Test
	void otherOperatingSystemsGetTheFallback() {
		NativeAccessHolder.Choice choice = NativeAccessHolder.choose(null, "Windows 11");
		assertThat(choice.access()).isInstanceOf(FallbackNativeAccess.class);
		assertThat(choice.level()).isEqualTo(Level.WARN);
		assertThat(choice.message()).contains("not on Windows 11", "only SIGTERM and SIGKILL", "PR_SET_PDEATHSIG");
	}

	@Test
	void linuxAndMacOsGetJna() {
		String os = System.getProperty("os.name");
		assumeTrue(os.toLowerCase(Locale.ROOT).startsWith("linux") || os.toLowerCase(Locale.ROOT).startsWith("mac"));
		NativeAccessHolder.Choice choice = NativeAccessHolder.choose(null, os);
		assertThat(choice.access()).isInstanceOf(PosixNativeAccess.class);
		assertThat(choice.level()).isEqualTo(Level.DEBUG);
	}

}
