package io.samboot.supervisor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

import io.samboot.nativeaccess.NativeAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link HsPerfDataFiles} on files the test writes under a temporary root, and on this
 * JVM's own {@code /proc/self/maps}.
 */
class HsPerfDataFilesTests {

	/**
	 * A PID no process has (Linux PIDs stay below 2^22), so that the process's user is
	 * unknown.
	 */
	private static final long NO_PROCESS = 999_999_901L;

	private static final long THIS_PROCESS = ProcessHandle.current().pid();

	@TempDir
	Path root;

	/** The user of the files the test writes. */
	private int uid() {
		try {
			return (Integer) Files.getAttribute(this.root, "unix:uid");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private HsPerfDataFiles.Mapped map(Path file) throws Exception {
		return HsPerfDataFiles.map(file, uid(), NativeAccess.get());
	}

	private Path file(String directory, long pid) throws IOException {
		Path file = Files.createDirectories(this.root.resolve(directory)).resolve(Long.toString(pid));
		return Files.write(file, new byte[PerfDataImage.SIZE]);
	}

	@Test
	void fileIsFoundInADirectoryOfTheProcesssUserWhateverItsName() throws IOException {
		Files.createDirectories(this.root.resolve("hsperfdata_a"));
		Path expected = file("hsperfdata_b", NO_PROCESS);

		assertThat(HsPerfDataFiles.locate(this.root, NO_PROCESS, uid())).contains(expected);
	}

	@Test
	void directoryOfAnotherUserIsNotLookedIn() throws IOException {
		file("hsperfdata_a", NO_PROCESS);

		assertThat(HsPerfDataFiles.locate(this.root, NO_PROCESS, uid() + 1)).isEmpty();
	}

	@Test
	void directoryOthersMayWriteToIsNotLookedIn() throws IOException {
		file("hsperfdata_a", NO_PROCESS);
		Files.setPosixFilePermissions(this.root.resolve("hsperfdata_a"), PosixFilePermissions.fromString("rwxrwxrwx"));

		assertThat(HsPerfDataFiles.locate(this.root, NO_PROCESS, uid())).isEmpty();
	}

	@Test
	void linkToADirectoryOfTheUserIsNotLookedIn() throws IOException {
		Path real = file("real", NO_PROCESS).getParent();
		Files.createSymbolicLink(this.root.resolve("hsperfdata_a"), real);

		assertThat(HsPerfDataFiles.locate(this.root, NO_PROCESS, uid())).isEmpty();
	}

	@Test
	@EnabledOnOs(OS.LINUX)
	void fifoNamedAfterThePidIsNoFile() throws Exception {
		Path directory = Files.createDirectories(this.root.resolve("hsperfdata_a"));
		Fifos.make(directory.resolve(Long.toString(NO_PROCESS)));

		assertThat(HsPerfDataFiles.locate(this.root, NO_PROCESS, uid())).isEmpty();
	}

	@Test
	@EnabledOnOs(OS.LINUX)
	void effectiveUidOfThisProcessIsItsOwn() {
		assertThat(HsPerfDataFiles.effectiveUid(THIS_PROCESS)).hasValue(uid());
		assertThat(HsPerfDataFiles.effectiveUid(NO_PROCESS)).isEmpty();
	}

	@Test
	void onlyDirectoriesNamedLikeHotSpotsAreLookedIn() throws IOException {
		file("perfdata_a", NO_PROCESS);

		assertThat(HsPerfDataFiles.locate(this.root, NO_PROCESS, uid())).isEmpty();
	}

	@Test
	void directoryNamedAfterThePidIsNoFile() throws IOException {
		Files.createDirectories(this.root.resolve("hsperfdata_a").resolve(Long.toString(NO_PROCESS)));

		assertThat(HsPerfDataFiles.locate(this.root, NO_PROCESS, uid())).isEmpty();
	}

	@Test
	void missingRootHoldsNoFile() {
		assertThat(HsPerfDataFiles.locate(this.root.resolve("missing"), NO_PROCESS, uid())).isEmpty();
	}

	@Test
	void mapHoldsAllOfTheFileReadOnly() throws Exception {
		Path file = file("hsperfdata_a", NO_PROCESS);

		ByteBuffer buffer = map(file).buffer();

		assertThat(buffer.capacity()).isEqualTo(PerfDataImage.SIZE);
		assertThat(buffer.isReadOnly()).isTrue();
	}

	@Test
	void mapTellsTheFilesKey() throws Exception {
		Path file = file("hsperfdata_a", NO_PROCESS);

		assertThat(map(file).fileKey()).isEqualTo(Files.readAttributes(file, BasicFileAttributes.class).fileKey());
	}

	@Test
	void fileShorterThanAPrologueIsNotPerfData() throws IOException {
		Path file = Files.write(this.root.resolve("short"), new byte[HsPerfData.PROLOGUE_SIZE - 1]);

		assertThatExceptionOfType(HsPerfData.NotPerfDataException.class).isThrownBy(() -> map(file))
			.withMessage("is 31 bytes long, not a HotSpot performance data file");
	}

	@Test
	void fileThatIsGoneCannotBeMapped() {
		assertThatExceptionOfType(NoSuchFileException.class).isThrownBy(() -> map(this.root.resolve("gone")));
	}

	@Test
	void pathStillNamesTheMappedFile() throws Exception {
		Path file = file("hsperfdata_a", NO_PROCESS);
		HsPerfDataFiles.Mapped mapped = map(file);

		assertThat(HsPerfDataFiles.isStillTheFile(file, mapped.fileKey())).isTrue();
	}

	@Test
	void fileCreatedAnewUnderThePathIsAnotherFile() throws Exception {
		Path file = file("hsperfdata_a", NO_PROCESS);
		HsPerfDataFiles.Mapped mapped = map(file);

		// The mapping keeps the old file's inode alive, so the new file is another one.
		Files.delete(file);
		file("hsperfdata_a", NO_PROCESS);

		assertThat(HsPerfDataFiles.isStillTheFile(file, mapped.fileKey())).isFalse();
		assertThat(mapped.buffer().capacity()).isEqualTo(PerfDataImage.SIZE);
	}

	@Test
	void deletedFileIsNoLongerTheFile() throws Exception {
		Path file = file("hsperfdata_a", NO_PROCESS);
		HsPerfDataFiles.Mapped mapped = map(file);

		Files.delete(file);

		assertThat(HsPerfDataFiles.isStillTheFile(file, mapped.fileKey())).isFalse();
	}

	@Test
	@EnabledOnOs(OS.LINUX)
	void fileThisProcessMapsIsMappedByIt() throws IOException {
		Path file = file("hsperfdata_a", THIS_PROCESS);
		try (FileChannel channel = FileChannel.open(file)) {
			MappedByteBuffer mapping = channel.map(FileChannel.MapMode.READ_ONLY, 0, PerfDataImage.SIZE);

			assertThat(HsPerfDataFiles.mapsFile(THIS_PROCESS, file)).isTrue();
			assertThat(mapping.capacity()).isEqualTo(PerfDataImage.SIZE);
		}
	}

	@Test
	@EnabledOnOs(OS.LINUX)
	void fileThisProcessDoesNotMapIsNotMappedByIt() throws IOException {
		Path file = file("hsperfdata_a", THIS_PROCESS);

		assertThat(HsPerfDataFiles.mapsFile(THIS_PROCESS, file)).isFalse();
	}

	@Test
	void fileOfNoProcessIsMappedByNone() throws IOException {
		Path file = file("hsperfdata_a", NO_PROCESS);

		assertThat(HsPerfDataFiles.mapsFile(NO_PROCESS, file)).isFalse();
	}

	@Test
	void missingFileIsMappedByNone() {
		assertThat(HsPerfDataFiles.mapsFile(THIS_PROCESS, this.root.resolve("missing"))).isFalse();
	}

}
