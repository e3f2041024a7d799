package io.samboot.nativeaccess;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import com.sun.jna.Platform;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JNA's own native library kept beside JNA's jar in a cache directory, and when a JVM may
 * load it from there.
 */
@EnabledOnOs(OS.LINUX)
class JnaDispatchLibraryTests {

	@TempDir
	Path directory;

	private long uid;

	@BeforeEach
	void knowTheUser() {
		this.uid = CurrentUser.uid().orElseThrow();
	}

	@Test
	void theCopyIsTheLibraryInJnasJarForThisPlatformAndIsWrittenOnce() throws IOException {
		Path cache = Files.createDirectory(this.directory.resolve("lean-0123"));
		List<Path> classPath = List.of(jarWithoutJna(cache.resolve("0-sam-core.jar")), copyOfJnasJar(cache));

		JnaDispatchLibrary.copyBeside(classPath);

		Path copy = cache.resolve(JnaDispatchLibrary.FILE_NAME);
		assertThat(copy).hasBinaryContent(entryOfJnasJar());
		assertThat(Files.getPosixFilePermissions(copy)).as("read-only")
			.doesNotContain(PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_WRITE,
					PosixFilePermission.OTHERS_WRITE);
		Object written = Files.readAttributes(copy, "unix:ino").get("ino");
		JnaDispatchLibrary.copyBeside(classPath);
		assertThat(Files.readAttributes(copy, "unix:ino").get("ino")).as("not written twice").isEqualTo(written);
		try (Stream<Path> files = Files.list(cache)) {
			assertThat(files.map((file) -> file.getFileName().toString())).as("nothing else left")
				.containsExactlyInAnyOrder("0-sam-core.jar", "1-jna.jar", JnaDispatchLibrary.FILE_NAME);
		}
	}

	@Test
	void jarsWithoutJnasLibraryGetNoCopy() throws IOException {
		Path cache = Files.createDirectory(this.directory.resolve("lean-0123"));

		JnaDispatchLibrary.copyBeside(List.of(jarWithoutJna(cache.resolve("0-other.jar"))));

		assertThat(cache.resolve(JnaDispatchLibrary.FILE_NAME)).doesNotExist();
	}

	@Test
	void aPrivateCopyInACacheDirectoryIsTrusted() throws IOException {
		Path cache = Files.createDirectory(this.directory.resolve("lean-0123"));
		Path copy = Files.writeString(cache.resolve(JnaDispatchLibrary.FILE_NAME), "x");

		assertThat(JnaDispatchLibrary.trustedCopy(copy, this.uid)).isEqualTo(cache);
	}

	@Test
	void aCopyOutsideACacheDirectoryIsNot() throws IOException {
		Path other = Files.createDirectory(this.directory.resolve("lib"));
		Path copy = Files.writeString(other.resolve(JnaDispatchLibrary.FILE_NAME), "x");

		assertThat(JnaDispatchLibrary.trustedCopy(copy, this.uid)).isNull();
	}

	@Test
	void aCopyOthersMayWriteIsNot() throws IOException {
		Path cache = Files.createDirectory(this.directory.resolve("lean-0123"));
		Path copy = Files.writeString(cache.resolve(JnaDispatchLibrary.FILE_NAME), "x");
		Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-rw-r--"));

		assertThat(JnaDispatchLibrary.trustedCopy(copy, this.uid)).isNull();
	}

	@Test
	void aCopyInADirectoryOthersMayWriteIsNot() throws IOException {
		Path cache = Files.createDirectory(this.directory.resolve("lean-0123"));
		Path copy = Files.writeString(cache.resolve(JnaDispatchLibrary.FILE_NAME), "x");
		Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));

		assertThat(JnaDispatchLibrary.trustedCopy(copy, this.uid)).isNull();
	}

	@Test
	void aSymbolicLinkIsNot() throws IOException {
		Path cache = Files.createDirectory(this.directory.resolve("lean-0123"));
		Path elsewhere = Files.writeString(this.directory.resolve("elsewhere.so"), "x");
		Path copy = Files.createSymbolicLink(cache.resolve(JnaDispatchLibrary.FILE_NAME), elsewhere);

		assertThat(JnaDispatchLibrary.trustedCopy(copy, this.uid)).isNull();
	}

	@Test
	void anotherUsersCopyIsNot() throws IOException {
		Path cache = Files.createDirectory(this.directory.resolve("lean-0123"));
		Path copy = Files.writeString(cache.resolve(JnaDispatchLibrary.FILE_NAME), "x");

		assertThat(JnaDispatchLibrary.trustedCopy(copy, this.uid + 1)).isNull();
	}

	private static Path jarWithoutJna(Path jar) throws IOException {
		try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar))) {
			out.putNextEntry(new ZipEntry("io/samboot/Some.class"));
			out.write(new byte[] { (byte) 0xca, (byte) 0xfe });
		}
		return jar;
	}

	static Path copyOfJnasJar(Path cache) throws IOException {
		return Files.copy(jnasJar(), cache.resolve("1-jna.jar"));
	}

	private static Path jnasJar() {
		try {
			return Path.of(Platform.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] entryOfJnasJar() throws IOException {
		try (ZipFile jar = new ZipFile(jnasJar().toFile());
				InputStream in = jar.getInputStream(
						jar.getEntry("com/sun/jna/" + Platform.RESOURCE_PREFIX + "/" + JnaDispatchLibrary.FILE_NAME))) {
			return in.readAllBytes();
		}
	}

}
