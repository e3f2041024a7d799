package io.samboot.supervisor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the lean JVM's class-data archive depends on, and where it is not made: the digest
 * that names its directory, class directories, a cache another user could write to, and
 * jars nested in an executable jar, copied once.
 */
class LeanJvmArchiveTests {

	private static final List<String> OPTIONS = List.of("-XX:+UseSerialGC", "-Xss256k");

	@TempDir
	Path directory;

	@Test
	void theDigestChangesWithTheJarsBytesTheJavaTheJdkAndTheOptions() throws Exception {
		Path jar = Files.write(this.directory.resolve("a.jar"), new byte[] { 1, 2, 3 });
		String digest = LeanJvmArchive.digest("/jdk/bin/java", 17, OPTIONS, jars(jar));

		assertThat(LeanJvmArchive.digest("/jdk/bin/java", 17, OPTIONS, jars(jar))).isEqualTo(digest);
		assertThat(LeanJvmArchive.digest("/other/bin/java", 17, OPTIONS, jars(jar))).isNotEqualTo(digest);
		assertThat(LeanJvmArchive.digest("/jdk/bin/java", 25, OPTIONS, jars(jar))).isNotEqualTo(digest);
		assertThat(LeanJvmArchive.digest("/jdk/bin/java", 17, List.of("-XX:+UseSerialGC"), jars(jar)))
			.isNotEqualTo(digest);
		Files.write(jar, new byte[] { 1, 2, 4 });
		assertThat(LeanJvmArchive.digest("/jdk/bin/java", 17, OPTIONS, jars(jar))).isNotEqualTo(digest);
		assertThat(digest).matches("[0-9a-f]{16}");
	}

	@Test
	void theDigestTellsWhereOneJarEndsAndTheNextBegins() throws Exception {
		Path a = this.directory.resolve("a.jar");
		Path b = this.directory.resolve("b.jar");
		Files.write(a, new byte[] { 1, 2 });
		Files.write(b, new byte[] { 3 });
		String split = LeanJvmArchive.digest("/jdk/bin/java", 17, OPTIONS, jars(a, b));
		Files.write(a, new byte[] { 1 });
		Files.write(b, new byte[] { 2, 3 });

		assertThat(LeanJvmArchive.digest("/jdk/bin/java", 17, OPTIONS, jars(a, b))).isNotEqualTo(split);
	}

	@Test
	void jarsAreCopiedIntoTheCacheAndTheFirstSupervisorIsToldToMakeTheArchive() throws Exception {
		Path jar = Files.write(this.directory.resolve("a.jar"), new byte[] { 1, 2, 3 });
		Path cache = Files.createDirectories(this.directory.resolve("cache"));

		LeanJvmArchive archive = LeanJvmArchive.prepare("/jdk/bin/java", 17, OPTIONS, jars(jar), this.directory,
				Map.of("XDG_CACHE_HOME", cache.toString()));

		assertThat(archive.classPath()).singleElement().satisfies((copy) -> {
			assertThat(copy).startsWith(cache.resolve("sam-boot"))
				.hasFileName("0-a.jar")
				.hasBinaryContent(new byte[] { 1, 2, 3 });
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copy))).doesNotContain("w");
		});
		assertThat(archive.options()).first()
			.asString()
			.startsWith("-XX:ArchiveClassesAtExit=" + archive.classPath().get(0).getParent().resolve("supervisor.jsa."))
			.endsWith(".part");
		assertThat(LeanJvmArchive
			.prepare("/jdk/bin/java", 25, OPTIONS, jars(jar), this.directory,
					Map.of("XDG_CACHE_HOME", cache.toString()))
			.options()).startsWith("-XX:AOTMode=record");
	}

	@Test
	void fromJdk25TheAotCacheIsUsedWithoutReplayingTheProfilesInIt() throws Exception {
		Path jar = Files.write(this.directory.resolve("a.jar"), new byte[] { 1, 2, 3 });
		Map<String, String> environment = Map.of("XDG_CACHE_HOME",
				Files.createDirectories(this.directory.resolve("cache")).toString());

		for (int feature : List.of(24, 25)) {
			Path cached = LeanJvmArchive
				.prepare("/jdk/bin/java", feature, OPTIONS, jars(jar), this.directory, environment)
				.classPath()
				.get(0)
				.getParent();
			Files.createFile(cached.resolve("supervisor.aot"));

			List<String> options = LeanJvmArchive
				.prepare("/jdk/bin/java", feature, OPTIONS, jars(jar), this.directory, environment)
				.options();

			assertThat(options).as("JDK " + feature).startsWith("-XX:AOTCache=" + cached.resolve("supervisor.aot"));
			if (feature >= 25) {
				assertThat(options).containsSequence("-XX:+UnlockDiagnosticVMOptions", "-XX:-AOTReplayTraining");
			}
			else {
				assertThat(options).noneMatch((option) -> option.contains("Training"));
			}
		}
	}

	@Test
	void optionsThatChooseClassSharingThemselvesGetNoArchive() throws Exception {
		Path jar = Files.write(this.directory.resolve("a.jar"), new byte[] { 1 });
		Path cache = Files.createDirectories(this.directory.resolve("cache"));

		for (String option : List.of("-Xshare:off", "-XX:-UseSharedSpaces",
				"-XX:SharedArchiveFile=/opt/app/supervisor.jsa", "-XX:AOTCache=/opt/app/supervisor.aot")) {
			List<String> options = List.of("-XX:+UseSerialGC", option);
			LeanJvmArchive archive = LeanJvmArchive.prepare("/jdk/bin/java", 17, options, jars(jar), this.directory,
					Map.of("XDG_CACHE_HOME", cache.toString()));
			assertThat(archive.options()).as(option).isEmpty();
			assertThat(archive.classPath()).as(option).containsExactly(jar);
		}
		assertThat(LeanJvmArchive.sharingChosen(OPTIONS)).isFalse();
	}

	@Test
	void classDirectoriesHaveNoArchive() throws Exception {
		Path classes = Files.createDirectories(this.directory.resolve("classes"));

		LeanJvmArchive archive = LeanJvmArchive.prepare("/jdk/bin/java", 17, OPTIONS, jars(classes), this.directory,
				Map.of("XDG_CACHE_HOME", this.directory.toString()));

		assertThat(archive.options()).isEmpty();
		assertThat(archive.classPath()).containsExactly(classes);
	}

	@Test
	void aCacheOthersCanWriteToIsNotUsed() throws Exception {
		Path jar = Files.write(this.directory.resolve("a.jar"), new byte[] { 1 });
		Path shared = Files.createDirectories(this.directory.resolve("shared"));
		Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));

		LeanJvmArchive archive = LeanJvmArchive.prepare("/jdk/bin/java", 17, OPTIONS, jars(jar), this.directory,
				Map.of("XDG_CACHE_HOME", shared.toString()));

		assertThat(archive.options()).isEmpty();
		assertThat(archive.classPath()).containsExactly(jar);
	}

	@Test
	void aJarNestedInAnExecutableJarIsReadIntoTheCacheAndCopiedOutOnlyWithoutOne() throws Exception {
		Path app = this.directory.resolve("app.jar");
		try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(app))) {
			zip.putNextEntry(new ZipEntry("BOOT-INF/lib/inner-1.0.jar"));
			zip.write(new byte[] { 7, 8, 9 });
			zip.closeEntry();
		}
		List<SupervisorClassPath.Source> nested = List
			.of(SupervisorClassPath.source("jar:nested:" + app + "/!BOOT-INF/lib/inner-1.0.jar!/"));
		Path control = Files.createDirectories(this.directory.resolve("control"));
		Path cache = Files.createDirectories(this.directory.resolve("cache"));

		LeanJvmArchive archive = LeanJvmArchive.prepare("/jdk/bin/java", 17, OPTIONS, nested, control,
				Map.of("XDG_CACHE_HOME", cache.toString()));

		assertThat(archive.classPath()).singleElement()
			.satisfies((copy) -> assertThat(copy).startsWith(cache.resolve("sam-boot"))
				.hasFileName("0-inner-1.0.jar")
				.hasBinaryContent(new byte[] { 7, 8, 9 }));
		assertThat(control).isEmptyDirectory();

		Path shared = Files.createDirectories(this.directory.resolve("shared"));
		Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
		LeanJvmArchive without = LeanJvmArchive.prepare("/jdk/bin/java", 17, OPTIONS, nested, control,
				Map.of("XDG_CACHE_HOME", shared.toString()));

		assertThat(without.options()).isEmpty();
		assertThat(without.classPath()).containsExactly(control.resolve("inner-1.0.jar"));
		assertThat(control.resolve("inner-1.0.jar")).hasBinaryContent(new byte[] { 7, 8, 9 });
	}

	@Test
	void theCopiesOfNestedJarsAreNotedForTheEarlyLauncherAndStandForTheJarsTheyCopy() throws Exception {
		Path app = this.directory.resolve("app.jar");
		try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(app))) {
			zip.putNextEntry(new ZipEntry("BOOT-INF/lib/sam-core-1.0.jar"));
			zip.write(new byte[] { 7, 8, 9 });
			zip.closeEntry();
			zip.putNextEntry(new ZipEntry("BOOT-INF/lib/jna-5.19.1.jar"));
			zip.write(new byte[] { 1, 2 });
			zip.closeEntry();
		}
		List<SupervisorClassPath.Source> nested = List.of(
				SupervisorClassPath.source("jar:nested:" + app + "/!BOOT-INF/lib/sam-core-1.0.jar!/"),
				SupervisorClassPath.source("jar:nested:" + app + "/!BOOT-INF/lib/jna-5.19.1.jar!/"));
		Path control = Files.createDirectories(this.directory.resolve("control"));
		Path cache = Files.createDirectories(this.directory.resolve("cache"));
		Map<String, String> environment = Map.of("XDG_CACHE_HOME", cache.toString());

		LeanJvmArchive archive = LeanJvmArchive.prepare("/jdk/bin/java", 17, OPTIONS, nested, control, environment);

		Path root = cache.resolve("sam-boot");
		String described;
		try (ZipFile zip = new ZipFile(app.toFile())) {
			described = LauncherShortcut.line(zip, "BOOT-INF/lib/sam-core-1.0.jar") + "\n"
					+ LauncherShortcut.line(zip, "BOOT-INF/lib/jna-5.19.1.jar") + "\n";
			assertThat(described).startsWith("BOOT-INF/lib/sam-core-1.0.jar\t"
					+ Long.toHexString(zip.getEntry("BOOT-INF/lib/sam-core-1.0.jar").getCrc()) + "\t3\n");
		}
		Path note = root.resolve(LauncherShortcut.fileName(described));
		String[] lines = described.split("\n");
		assertThat(note).hasContent(lines[0] + "\t" + root.relativize(archive.classPath().get(0)) + "\n" + lines[1]
				+ "\t" + root.relativize(archive.classPath().get(1)));
		assertThat(root.relativize(archive.classPath().get(1)).toString()).matches("lean-[0-9a-f]+/1-jna-5.19.1.jar");

		// The launcher then loads SAM from the copies: the same directory and archive.
		List<SupervisorClassPath.Source> copies = new ArrayList<>();
		for (Path copy : archive.classPath()) {
			copies.add(SupervisorClassPath.source(copy.toUri().toString()));
		}
		assertThat(copies).extracting(SupervisorClassPath.Source::fileName)
			.containsExactly("sam-core-1.0.jar", "jna-5.19.1.jar");
		assertThat(LeanJvmArchive.prepare("/jdk/bin/java", 17, OPTIONS, copies, control, environment).classPath())
			.isEqualTo(archive.classPath());
		assertThat(root).isDirectoryNotContaining("glob:**/.staging-*");
	}

	private static List<SupervisorClassPath.Source> jars(Path... files) {
		return Stream.of(files).map(SupervisorClassPath.Source::file).toList();
	}

}
