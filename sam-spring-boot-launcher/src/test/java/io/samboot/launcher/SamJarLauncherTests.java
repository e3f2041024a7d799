package io.samboot.launcher;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import io.samboot.JvmSwitch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the early launcher tries SAM, and which of the jar's libraries it loads SAM from.
 */
class SamJarLauncherTests {

	@TempDir
	Path temp;

	@Test
	void triesOnLinuxUnlessAnInstanceOrSwitchedOff() {
		assertThat(SamJarLauncher.earlySupervisionWanted(Map.of(), null, null, "Linux")).isTrue();
		assertThat(
				SamJarLauncher.earlySupervisionWanted(Map.of("SAM_SUPERVISOR_SOCKET", "/run/s"), null, null, "Linux"))
			.as("an instance")
			.isFalse();
		assertThat(SamJarLauncher.earlySupervisionWanted(Map.of(), " Off ", null, "Linux")).isFalse();
		assertThat(SamJarLauncher.earlySupervisionWanted(Map.of("SAM_ENABLED", "0"), null, null, "Linux")).isFalse();
		assertThat(SamJarLauncher.earlySupervisionWanted(Map.of(), null, "false", "Linux")).isFalse();
		assertThat(SamJarLauncher.earlySupervisionWanted(Map.of(), null, null, "Mac OS X")).isFalse();
		assertThat(SamJarLauncher.earlySupervisionWanted(Map.of(), "true", "yes", "Linux")).isTrue();
	}

	@Test
	void findsSamsCoreAndJnaButNotJnaPlatformNorOtherJars() throws Exception {
		File jar = jar("BOOT-INF/lib/jna-platform-5.19.1.jar", "BOOT-INF/lib/spring-boot-4.1.1.jar",
				"BOOT-INF/lib/jna-5.19.1.jar", "BOOT-INF/lib/sam-core-0.1.0-SNAPSHOT.jar",
				"BOOT-INF/lib/sam-spring-boot-autoconfigure-0.1.0-SNAPSHOT.jar", "BOOT-INF/classes/sam-core-fake.jar");

		List<URL> libraries = SamJarLauncher.samLibraries(jar);

		assertThat(libraries).extracting(URL::toString)
			.satisfiesExactly(core -> assertThat(core).endsWith("!BOOT-INF/lib/sam-core-0.1.0-SNAPSHOT.jar!/"),
					jna -> assertThat(jna).endsWith("!BOOT-INF/lib/jna-5.19.1.jar!/"));
	}

	@Test
	void findsTheCorosyncPlugInAfterTheCoreAndJna() throws Exception {
		File jar = jar("BOOT-INF/lib/sam-corosync-0.1.0-SNAPSHOT.jar", "BOOT-INF/lib/jna-5.19.1.jar",
				"BOOT-INF/lib/sam-core-0.1.0-SNAPSHOT.jar");

		assertThat(SamJarLauncher.samLibraries(jar)).extracting(URL::toString)
			.satisfiesExactly(core -> assertThat(core).endsWith("!BOOT-INF/lib/sam-core-0.1.0-SNAPSHOT.jar!/"),
					jna -> assertThat(jna).endsWith("!BOOT-INF/lib/jna-5.19.1.jar!/"),
					corosync -> assertThat(corosync).endsWith("!BOOT-INF/lib/sam-corosync-0.1.0-SNAPSHOT.jar!/"));
	}

	@Test
	void theEarlySwitchHasTheNameSamCoreDefinesForIt() {
		assertThat(SamJarLauncher.EARLY_PROPERTY).isEqualTo(JvmSwitch.LAUNCHER_EARLY.propertyName());
	}

	@Test
	void aJarWithoutSamLoadsNothing() throws Exception {
		assertThat(SamJarLauncher.samLibraries(jar("BOOT-INF/lib/jna-5.19.1.jar"))).hasSize(1);
		assertThat(SamJarLauncher.samLibraries(jar("BOOT-INF/lib/spring-boot-4.1.1.jar"))).isEmpty();
	}

	private File jar(String... entries) throws IOException {
		Path file = Files.createTempFile(this.temp, "app", ".jar");
		try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
			for (String entry : entries) {
				zip.putNextEntry(new ZipEntry(entry));
				zip.closeEntry();
			}
		}
		return file.toFile();
	}

}
