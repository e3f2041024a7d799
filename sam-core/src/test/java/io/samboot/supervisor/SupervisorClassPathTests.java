package io.samboot.supervisor;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * Class path entries for the lean supervisor JVM from every kind of code source location.
 */
class SupervisorClassPathTests {

	private static final byte[] NESTED = "a nested jar's bytes".getBytes();

	@TempDir
	Path temp;

	@Test
	void aJarFileOrClassDirectoryIsUsedWhereItIs() throws IOException {
		Path directory = Files.createDirectory(this.temp.resolve("private"));
		assertThat(SupervisorClassPath.entry("file:/opt/app/lib/jna-5.19.1.jar", directory))
			.isEqualTo(Path.of("/opt/app/lib/jna-5.19.1.jar"));
		assertThat(SupervisorClassPath.entry("file:/home/user/app/target/classes/", directory))
			.isEqualTo(Path.of("/home/user/app/target/classes"));
		assertThat(SupervisorClassPath.entry("file:/opt/my%20app/lib.jar", directory))
			.isEqualTo(Path.of("/opt/my app/lib.jar"));
		assertThat(directory).isEmptyDirectory();
	}

	@Test
	void aJarNestedInASpringBootJarIsCopiedOutWhicheverLoaderNamedIt() throws IOException {
		Path app = bootJar(this.temp.resolve("my app.jar"), STORED_AND_DEFLATED);
		Path boot32 = Files.createDirectory(this.temp.resolve("boot32"));
		Path copied = SupervisorClassPath
			.entry("jar:nested:" + app.toUri().getRawPath() + "/!BOOT-INF/lib/sam-core-1.0.jar!/", boot32);
		assertThat(copied).isEqualTo(boot32.resolve("sam-core-1.0.jar")).hasBinaryContent(NESTED);

		Path classic = Files.createDirectory(this.temp.resolve("classic"));
		copied = SupervisorClassPath.entry("jar:" + app.toUri() + "!/BOOT-INF/lib/jna.jar!/", classic);
		assertThat(copied).isEqualTo(classic.resolve("jna.jar")).hasBinaryContent(NESTED);
	}

	@Test
	void aLocationItCannotReproduceIsRefusedWithWhatItIs() throws IOException {
		Path app = bootJar(this.temp.resolve("app.jar"), STORED_AND_DEFLATED);
		assertThatIOException().isThrownBy(() -> SupervisorClassPath.entry("jrt:/java.base", this.temp))
			.withMessageContaining("jrt:/java.base");
		assertThatIOException()
			.isThrownBy(
					() -> SupervisorClassPath.entry("jar:nested:" + app + "/!BOOT-INF/lib/missing.jar!/", this.temp))
			.withMessageContaining("BOOT-INF/lib/missing.jar");
	}

	@Test
	void theEntriesOfSeveralClassesComeOnceEach() throws IOException {
		List<Path> entries = SupervisorClassPath.of(this.temp, SupervisorMain.class, SupervisorClassPath.class,
				com.sun.jna.Native.class);
		assertThat(entries).hasSize(2).allMatch(Files::exists);
	}

	private static final List<String> STORED_AND_DEFLATED = List.of("BOOT-INF/lib/sam-core-1.0.jar",
			"BOOT-INF/lib/jna.jar");

	/**
	 * A jar laid out as Spring Boot's: the first nested jar stored (as Boot writes them),
	 * the next deflated.
	 */
	private static Path bootJar(Path file, List<String> entries) throws IOException {
		try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
			boolean stored = true;
			for (String name : entries) {
				ZipEntry entry = new ZipEntry(name);
				if (stored) {
					CRC32 crc = new CRC32();
					crc.update(NESTED);
					entry.setMethod(ZipEntry.STORED);
					entry.setSize(NESTED.length);
					entry.setCrc(crc.getValue());
				}
				zip.putNextEntry(entry);
				zip.write(NESTED);
				zip.closeEntry();
				stored = false;
			}
		}
		return file;
	}

}
