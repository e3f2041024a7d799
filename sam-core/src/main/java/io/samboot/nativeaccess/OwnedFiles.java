package io.samboot.nativeaccess;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * What {@link NativeAccess#openOwnedRegularFile} accepts, shared by the implementations:
 * a regular file of the given user, judged by the numbers {@code stat} gives ({@code uid}
 * and the type bits of {@code st_mode}), never by names, which a failed user lookup turns
 * into numbers.
 */
final class OwnedFiles {

	/** {@code S_IFMT} from {@code <sys/stat.h>}: the type bits of a mode. */
	static final int S_IFMT = 0170000;

	/** {@code S_IFREG}: a regular file. */
	static final int S_IFREG = 0100000;

	private OwnedFiles() {
	}

	/**
	 * Refuses unless the mode and owner read from a file are those of a regular file of
	 * {@code ownerUid}.
	 * @param file the path to name in the exception
	 * @param attributes {@code unix:mode} and {@code unix:uid} of what was opened
	 * @throws FileSystemException saying what the file is instead
	 */
	static void requireOwnedRegular(Path file, Map<String, Object> attributes, int ownerUid)
			throws FileSystemException {
		int mode = (Integer) attributes.get("mode");
		int uid = (Integer) attributes.get("uid");
		if ((mode & S_IFMT) != S_IFREG) {
			throw new FileSystemException(file.toString(), null, "not a regular file but " + typeOf(mode));
		}
		if (uid != ownerUid) {
			throw new FileSystemException(file.toString(), null,
					"owned by uid " + uid + ", not by uid " + ownerUid + " (another user's file)");
		}
	}

	/**
	 * The check, then the open, for implementations without a non-blocking open: neither
	 * step follows a symbolic link, but a file swapped for a FIFO between the two would
	 * block the open. Callers rely on the directory for that: one that only the owner can
	 * write to leaves no one else to swap the file.
	 */
	static FileChannel checkThenOpen(Path file, int ownerUid) throws IOException {
		requireOwnedRegular(file, Files.readAttributes(file, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS), ownerUid);
		return FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
	}

	private static String typeOf(int mode) {
		return switch (mode & S_IFMT) {
			case 0010000 -> "a FIFO";
			case 0020000 -> "a character device";
			case 0040000 -> "a directory";
			case 0060000 -> "a block device";
			case 0120000 -> "a symbolic link";
			case 0140000 -> "a socket";
			default -> String.format("a file of type %06o", mode & S_IFMT);
		};
	}

}
