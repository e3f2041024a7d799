package io.samboot.launcher;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
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

	@Test
	void theCacheIsWhereTheLeanJvmKeepsItsJars() {
		assertThat(SamJarLauncher.cacheRoot(Map.of("XDG_CACHE_HOME", "/var/cache/me"), "/home/me"))
			.isEqualTo(Path.of("/var/cache/me/sam-boot"));
		assertThat(SamJarLauncher.cacheRoot(Map.of("XDG_CACHE_HOME", "relative"), "/home/me"))
			.isEqualTo(Path.of("/home/me/.cache/sam-boot"));
		assertThat(SamJarLauncher.cacheRoot(Map.of(), "?")).isNull();
	}

	@Test
	void loadsSamFromTheCopiesInTheCacheWhenTheNoteMatchesThisJarAndTouchesTheNote() throws Exception {
		Cache cache = cache((paths) -> {
		});

		List<URL> libraries = SamJarLauncher.samLibraries(cache.app.toFile(), cache.root, cache.uid);

		assertThat(libraries).containsExactly(cache.copies.get(0).toUri().toURL(), cache.copies.get(1).toUri().toURL());
		assertThat(Files.getLastModifiedTime(cache.note).toMillis()).isGreaterThan(1_000_000);
	}

	@Test
	void readsTheNestedJarsWhenAnythingAboutTheCopiesIsOff() throws Exception {
		assertNested(cache((cache) -> cache.rewriteNote((note) -> note.replace("\t5\t", "\t6\t"))), "another size");
		assertNested(cache((cache) -> cache.rewriteNote((note) -> note.replace("1-jna", "../1-jna"))),
				"a copy outside a lean JVM's directory");
		assertNested(cache((cache) -> cache.rewriteNote((note) -> note.substring(0, note.indexOf('\n') + 1))),
				"one line missing");
		assertNested(cache((cache) -> cache.replaceCopy(new byte[] { 1, 2, 3, 4, 5, 6 })), "a copy of another size");
		assertNested(cache((cache) -> cache.chmod(cache.copies.get(0).getParent(), "rwxrwx---")),
				"a directory its group may write to");
		assertNested(cache((cache) -> cache.chmod(cache.note, "rw-rw-rw-")), "a note others may write to");
		assertNested(cache((cache) -> cache.linkCopy()), "a copy that is a symbolic link");
		Cache another = cache((cache) -> {
		});
		assertThat(SamJarLauncher.samLibraries(another.app.toFile(), another.root, another.uid + 1))
			.as("another user's cache")
			.allSatisfy((url) -> assertThat(url.toString()).startsWith("jar:nested:"));
	}

	private void assertNested(Cache cache, String why) throws Exception {
		assertThat(SamJarLauncher.samLibraries(cache.app.toFile(), cache.root, cache.uid)).as(why)
			.hasSize(2)
			.allSatisfy((url) -> assertThat(url.toString()).startsWith("jar:nested:"));
	}

	/**
	 * An executable jar with SAM's core and JNA (5 and 7 bytes), their copies in a cache,
	 * and the note that names them, as sam-core's {@code LauncherShortcut} writes it;
	 * {@code change} then spoils something.
	 */
	private Cache cache(Consumer<Cache> change) throws IOException {
		Path base = Files.createTempDirectory(this.temp, "case");
		Path app = base.resolve("app.jar");
		String[] names = { "BOOT-INF/lib/sam-core-1.0.jar", "BOOT-INF/lib/jna-5.19.1.jar" };
		byte[][] contents = { { 1, 2, 3, 4, 5 }, { 1, 2, 3, 4, 5, 6, 7 } };
		try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(app))) {
			for (int i = 0; i < names.length; i++) {
				zip.putNextEntry(new ZipEntry(names[i]));
				zip.write(contents[i]);
				zip.closeEntry();
			}
		}
		Path root = Files.createDirectory(base.resolve("sam-boot"),
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		Path lean = Files.createDirectory(root.resolve("lean-0123abcd"));
		StringBuilder described = new StringBuilder();
		StringBuilder note = new StringBuilder();
		List<Path> copies = new ArrayList<>();
		try (ZipFile zip = new ZipFile(app.toFile())) {
			for (int i = 0; i < names.length; i++) {
				ZipEntry entry = zip.getEntry(names[i]);
				String line = names[i] + "\t" + Long.toHexString(entry.getCrc()) + "\t" + entry.getSize();
				Path copy = Files.write(lean.resolve(i + "-" + names[i].substring("BOOT-INF/lib/".length())),
						contents[i]);
				copies.add(copy);
				described.append(line).append('\n');
				note.append(line).append('\t').append(root.relativize(copy)).append('\n');
			}
		}
		CRC32 crc = new CRC32();
		crc.update(described.toString().getBytes(StandardCharsets.UTF_8));
		Path notePath = Files.writeString(root.resolve("launch-" + Long.toHexString(crc.getValue())), note);
		Files.setLastModifiedTime(notePath, FileTime.fromMillis(1000));
		long uid = (Integer) Files.getAttribute(base, "unix:uid");
		Cache cache = new Cache(app, root, notePath, copies, uid);
		change.accept(cache);
		return cache;
	}

	private record Cache(Path app, Path root, Path note, List<Path> copies, long uid) {

		void rewriteNote(UnaryOperator<String> edit) {
			try {
				Files.writeString(this.note, edit.apply(Files.readString(this.note)));
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		}

		void replaceCopy(byte[] content) {
			try {
				Files.write(this.copies.get(1), content);
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		}

		void chmod(Path path, String permissions) {
			try {
				Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		}

		void linkCopy() {
			try {
				Path copy = this.copies.get(0);
				Path moved = Files.move(copy, copy.resolveSibling("elsewhere.jar"));
				Files.createSymbolicLink(copy, moved);
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		}

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
