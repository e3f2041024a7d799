package io.samboot.nativeaccess;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The directories JNA is told to search, from {@code /etc/ld.so.conf} instead of
 * {@code ldconfig -p}.
 */
class JnaSearchPathTests {

	@TempDir
	Path root;

	@Test
	void theFixedDirectoriesComeFirstThenThoseTheConfigurationNamesOnlyIfTheyExist() throws IOException {
		directories("usr/lib/x86_64-linux-gnu", "lib/x86_64-linux-gnu", "usr/lib64", "usr/lib", "opt/a/lib",
				"usr/local/lib", "opt/b/lib");
		write("etc/ld.so.conf", "include /etc/ld.so.conf.d/*.conf\n/opt/b/lib\n");
		write("etc/ld.so.conf.d/b.conf", "# libc default configuration\n/usr/local/lib\n/usr/lib64\n");
		write("etc/ld.so.conf.d/a.conf", "/opt/a/lib   # an application's\n/opt/missing/lib\n");
		write("etc/ld.so.conf.d/c.txt", "/opt/not-a-conf/lib\n");

		assertThat(JnaSearchPath.directories(this.root, "x86_64-linux-gnu", true)).containsExactly(
				"/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/lib", "/opt/a/lib",
				"/usr/local/lib", "/opt/b/lib");
	}

	@Test
	void withoutAConfigurationOnlyTheFixedDirectoriesThatExist() throws IOException {
		directories("usr/lib", "lib64");

		assertThat(JnaSearchPath.directories(this.root, "aarch64-linux-gnu", true)).containsExactly("/lib64",
				"/usr/lib");
	}

	@Test
	void anIncludeThatIncludesItselfEnds() throws IOException {
		directories("opt/a/lib");
		write("etc/ld.so.conf", "include ld.so.conf\n/opt/a/lib\n");

		assertThat(JnaSearchPath.directories(this.root, "x86_64-linux-gnu", true)).containsExactly("/opt/a/lib");
	}

	@Test
	void theMultiArchTupleIsJnas() {
		assertThat(JnaSearchPath.multiArch("amd64")).isEqualTo("x86_64-linux-gnu");
		assertThat(JnaSearchPath.multiArch("aarch64")).isEqualTo("aarch64-linux-gnu");
		assertThat(JnaSearchPath.multiArch("x86")).isEqualTo("i386-linux-gnu");
	}

	/**
	 * On this machine: every directory of the dynamic linker's cache, which JNA would
	 * have asked {@code ldconfig -p} for, is among those read from the configuration.
	 */
	@Test
	@EnabledOnOs(OS.LINUX)
	void everyDirectoryOfTheLinkersCacheIsSearched() throws Exception {
		Path ldconfig = Path.of("/sbin/ldconfig");
		org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(ldconfig), "no /sbin/ldconfig here");
		Process process = new ProcessBuilder(ldconfig.toString(), "-p").redirectErrorStream(true).start();
		String listing = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		Set<String> cached = new TreeSet<>();
		for (String line : listing.split("\n")) {
			int arrow = line.indexOf(" => ");
			if (arrow >= 0) {
				Path library = Path.of(line.substring(arrow + 4).trim());
				if (library.isAbsolute() && library.getParent() != null) {
					cached.add(library.getParent().toRealPath().toString());
				}
			}
		}
		List<String> searched = new ArrayList<>();
		for (String directory : JnaSearchPath.directories(Path.of("/"),
				JnaSearchPath.multiArch(System.getProperty("os.arch")),
				"64".equals(System.getProperty("sun.arch.data.model")))) {
			searched.add(Path.of(directory).toRealPath().toString());
		}

		assertThat(searched).containsAll(cached);
	}

	private void directories(String... paths) throws IOException {
		for (String path : paths) {
			Files.createDirectories(this.root.resolve(path));
		}
	}

	private void write(String path, String text) throws IOException {
		Path file = this.root.resolve(path);
		Files.createDirectories(file.getParent());
		Files.writeString(file, text);
	}

}
