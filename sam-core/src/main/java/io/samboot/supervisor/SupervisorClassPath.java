package io.samboot.supervisor;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The class path of the lean supervisor JVM: SAM's own classes and JNA's, nothing else.
 *
 * <p>
 * Each comes from where this JVM loaded it. A jar file or a class directory is used where
 * it is. A jar nested in a Spring Boot executable jar
 * ({@code jar:nested:/app.jar/!BOOT-INF/lib/x.jar!/}, or the older
 * {@code jar:file:/app.jar!/BOOT-INF/lib/x.jar!/}) cannot be put on a plain class path,
 * so it is copied out into the supervisor's private directory, where it stays until the
 * supervisor exits.
 */
final class SupervisorClassPath {

	private SupervisorClassPath() {
	}

	/**
	 * The entries for the given classes, copying nested jars into {@code directory}.
	 * @throws IOException if a class's location is not a file, a directory or a nested
	 * jar, or cannot be copied
	 */
	static List<Path> of(Path directory, Class<?>... classes) throws IOException {
		Set<Path> entries = new LinkedHashSet<>();
		for (Class<?> type : classes) {
			entries.add(locate(type, directory));
		}
		return new ArrayList<>(entries);
	}

	private static Path locate(Class<?> type, Path directory) throws IOException {
		CodeSource source = type.getProtectionDomain().getCodeSource();
		URL location = (source != null) ? source.getLocation() : null;
		if (location == null) {
			throw new IOException("the JVM does not say where " + type.getName() + " was loaded from");
		}
		return entry(location.toString(), directory);
	}

	/** The class path entry for a code source location, as text. */
	static Path entry(String location, Path directory) throws IOException {
		if (location.startsWith("file:")) {
			return path(location);
		}
		if (location.startsWith("jar:")) {
			String inner = location.substring("jar:".length());
			if (inner.endsWith("!/")) {
				inner = inner.substring(0, inner.length() - 2);
			}
			int separator;
			String outer;
			if (inner.startsWith("nested:") && (separator = inner.indexOf("/!")) > 0) {
				outer = "file:" + inner.substring("nested:".length(), separator);
				return extract(path(outer), inner.substring(separator + 2), directory);
			}
			if (inner.startsWith("file:") && (separator = inner.indexOf("!/")) > 0) {
				return extract(path(inner.substring(0, separator)), inner.substring(separator + 2), directory);
			}
			if (inner.startsWith("file:")) {
				return path(inner);
			}
		}
		throw new IOException("cannot put " + location + " on a class path (neither a file, a directory nor a jar"
				+ " nested in a Spring Boot jar)");
	}

	/**
	 * The path of a {@code file:} location, percent-encoded or (as some loaders write it)
	 * not.
	 */
	private static Path path(String fileLocation) {
		try {
			return Path.of(new URI(fileLocation));
		}
		catch (URISyntaxException | IllegalArgumentException ex) {
			return Path.of(fileLocation.substring("file:".length()));
		}
	}

	private static Path extract(Path outerJar, String entryName, Path directory) throws IOException {
		try (ZipFile outer = new ZipFile(outerJar.toFile())) {
			ZipEntry entry = outer.getEntry(entryName);
			if (entry == null) {
				throw new IOException(outerJar + " has no entry " + entryName);
			}
			String fileName = entryName.substring(entryName.lastIndexOf('/') + 1);
			Path target = directory.resolve(fileName.endsWith(".jar") ? fileName : fileName + ".jar");
			try (InputStream in = outer.getInputStream(entry)) {
				Files.copy(in, target);
			}
			return target;
		}
	}

}
