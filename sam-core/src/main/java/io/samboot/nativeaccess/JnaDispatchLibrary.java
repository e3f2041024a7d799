package io.samboot.nativeaccess;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.CodeSource;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import com.sun.jna.Platform;

/**
 * JNA's own native library ({@code libjnidispatch.so} on Linux), kept as a file beside
 * JNA's jar in the lean supervisor JVM's cache, where JNA loads it as it is
 * ({@code jna.boot.library.path}). Without it JNA unpacks the library out of its jar into
 * a temporary file at every start, and loads and deletes that: in the JVM the user
 * started, on its way to instance 1's launch (7-10 ms of it in side-by-side runs), and
 * again in the lean JVM's start.
 *
 * <p>
 * Used only from a directory of the cache's kind ({@code lean-*}) that this user owns and
 * neither group nor others may write, as must the file: the jar beside it is what this
 * JVM runs already. A property the user set is left alone; a file JNA cannot load leaves
 * it to unpack its own, as before.
 */
final class JnaDispatchLibrary {

	static final String PROPERTY = "jna.boot.library.path";

	/** JNA's name for it, {@code jnidispatch}, as this platform names the file. */
	static final String FILE_NAME = System.mapLibraryName("jnidispatch");

	/** The prefix of the lean JVM's cache directories. */
	private static final String CACHE_DIRECTORY_PREFIX = "lean-";

	private JnaDispatchLibrary() {
	}

	/**
	 * Points JNA at the copy beside its jar, if there is one to trust and the property is
	 * not set; to be called before JNA loads.
	 */
	static void useCopyIfBeside() {
		if (System.getProperty(PROPERTY) != null) {
			return;
		}
		Path jar = jarOf(Platform.class);
		OptionalLong uid = CurrentUser.uid();
		if (jar != null && uid.isPresent()) {
			Path directory = trustedCopy(jar.resolveSibling(FILE_NAME), uid.getAsLong());
			if (directory != null) {
				System.setProperty(PROPERTY, directory.toString());
			}
		}
	}

	/**
	 * The directory of {@code copy} when JNA may load it from there: a file of this
	 * user's that neither group nor others may write, in a cache directory of the same
	 * kind.
	 */
	static Path trustedCopy(Path copy, long uid) {
		Path directory = copy.getParent();
		if (directory == null || !directory.getFileName().toString().startsWith(CACHE_DIRECTORY_PREFIX)) {
			return null;
		}
		try {
			return (isPrivate(directory, true, uid) && isPrivate(copy, false, uid)) ? directory : null;
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	/**
	 * Puts a copy of the library JNA needs on this platform beside the jar that holds it,
	 * unless one is there: one of {@code jars} is JNA's, all in one directory. The copy
	 * is written under another name and renamed into place, so that a JVM never finds
	 * half of it.
	 * @param jars the lean JVM's class path in its cache directory
	 * @throws IOException if it cannot be written
	 */
	static void copyBeside(List<Path> jars) throws IOException {
		if (jars.isEmpty()) {
			return;
		}
		Path copy = jars.get(0).resolveSibling(FILE_NAME);
		if (Files.exists(copy, LinkOption.NOFOLLOW_LINKS)) {
			return;
		}
		String entryName = "com/sun/jna/" + Platform.RESOURCE_PREFIX + "/" + FILE_NAME;
		for (Path jar : jars) {
			try (ZipFile zip = new ZipFile(jar.toFile())) {
				ZipEntry entry = zip.getEntry(entryName);
				if (entry != null) {
					Path part = Files.createTempFile(jar.getParent(), ".jnidispatch-", ".tmp");
					try {
						try (InputStream in = zip.getInputStream(entry)) {
							Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
						}
						part.toFile().setReadOnly();
						Files.move(part, copy, StandardCopyOption.ATOMIC_MOVE);
					}
					finally {
						Files.deleteIfExists(part);
					}
					return;
				}
			}
		}
	}

	/**
	 * Whether {@code path} is a directory (or a regular file) of this user's, not a
	 * symbolic link, which neither its group nor others may write.
	 */
	private static boolean isPrivate(Path path, boolean directory, long uid) throws IOException {
		if (directory ? !Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)
				: !Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
			return false;
		}
		Map<String, Object> attributes = Files.readAttributes(path, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS);
		return ((Integer) attributes.get("uid")) == uid && (((Integer) attributes.get("mode")) & 0022) == 0;
	}

	/** The jar a class was loaded from, or {@code null} when it is not a plain file. */
	private static Path jarOf(Class<?> type) {
		try {
			CodeSource source = type.getProtectionDomain().getCodeSource();
			if (source == null || source.getLocation() == null || !"file".equals(source.getLocation().getProtocol())) {
				return null;
			}
			Path path = Path.of(source.getLocation().toURI());
			return Files.isRegularFile(path) ? path : null;
		}
		catch (URISyntaxException | RuntimeException ex) {
			return null;
		}
	}

}
