package io.samboot.supervisor;

import java.io.FilterInputStream;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The class path of the lean supervisor JVM: SAM's own classes and JNA's, nothing else.
 *
 * <p>
 * Each comes from where this JVM loaded it. A jar file or a class directory is used where
 * it is. A jar nested in a Spring Boot executable jar
 * ({@code jar:nested:/app.jar/!BOOT-INF/lib/x.jar!/}, or the older
 * {@code jar:file:/app.jar!/BOOT-INF/lib/x.jar!/}) cannot be put on a plain class path:
 * it is read where it is ({@link Source#open()}) by whoever keeps a copy of its own (the
 * class-data archive's cache), or copied out into the supervisor's private directory,
 * where it stays until the supervisor exits.
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
		return materialize(sources(classes), directory);
	}

	/**
	 * Where the given classes come from, in order and without repeats, nothing copied
	 * yet.
	 * @throws IOException if a class's location is not a file, a directory or a nested
	 * jar
	 */
	static List<Source> sources(Class<?>... classes) throws IOException {
		Set<Source> sources = new LinkedHashSet<>();
		for (Class<?> type : classes) {
			sources.add(locate(type));
		}
		return new ArrayList<>(sources);
	}

	/** The class path of these sources, nested jars copied into {@code directory}. */
	static List<Path> materialize(List<Source> sources, Path directory) throws IOException {
		List<Path> entries = new ArrayList<>();
		for (Source source : sources) {
			entries.add(source.materialize(directory));
		}
		return entries;
	}

	private static Source locate(Class<?> type) throws IOException {
		CodeSource source = type.getProtectionDomain().getCodeSource();
		URL location = (source != null) ? source.getLocation() : null;
		if (location == null) {
			throw new IOException("the JVM does not say where " + type.getName() + " was loaded from");
		}
		return source(location.toString());
	}

	/** The class path entry for a code source location, as text. */
	static Path entry(String location, Path directory) throws IOException {
		return source(location).materialize(directory);
	}

	/** Where a code source location, as text, is read from. */
	static Source source(String location) throws IOException {
		if (location.startsWith("file:")) {
			return Source.file(path(location));
		}
		if (location.startsWith("jar:")) {
			String inner = location.substring("jar:".length());
			if (inner.endsWith("!/")) {
				inner = inner.substring(0, inner.length() - 2);
			}
			int separator;
			if (inner.startsWith("nested:") && (separator = inner.indexOf("/!")) > 0) {
				return new Source(path("file:" + inner.substring("nested:".length(), separator)),
						inner.substring(separator + 2));
			}
			if (inner.startsWith("file:") && (separator = inner.indexOf("!/")) > 0) {
				return new Source(path(inner.substring(0, separator)), inner.substring(separator + 2));
			}
			if (inner.startsWith("file:")) {
				return Source.file(path(inner));
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

	/**
	 * One class path entry where it is: a file or directory ({@code nestedEntry} null),
	 * or the entry {@code nestedEntry} of the jar {@code file}.
	 */
	record Source(Path file, String nestedEntry) {

		/**
		 * How {@link LeanJvmArchive} names a copy in its cache: a number, a dash, the
		 * name.
		 */
		private static final Pattern CACHED_COPY = Pattern.compile("\\d+-(.+\\.jar)");

		static Source file(Path file) {
			return new Source(file, null);
		}

		/** Whether it is a jar (a directory of classes is not). */
		boolean isJar() {
			return this.nestedEntry != null || Files.isRegularFile(this.file);
		}

		/**
		 * Its file name, as a copy of it is named; for a copy in the lean JVM's cache
		 * ({@code lean-<digest>/<n>-<name>}, where the early launcher may have loaded SAM
		 * from), the name of the jar it copies, so that it stands for that jar.
		 */
		String fileName() {
			if (this.nestedEntry == null) {
				String name = this.file.getFileName().toString();
				Path parent = this.file.getParent();
				Matcher copy = CACHED_COPY.matcher(name);
				if (parent != null && parent.getFileName() != null
						&& parent.getFileName().toString().startsWith("lean-") && copy.matches()) {
					return copy.group(1);
				}
				return name;
			}
			String name = this.nestedEntry.substring(this.nestedEntry.lastIndexOf('/') + 1);
			return name.endsWith(".jar") ? name : name + ".jar";
		}

		/** Its bytes. */
		InputStream open() throws IOException {
			if (this.nestedEntry == null) {
				return Files.newInputStream(this.file);
			}
			ZipFile outer = new ZipFile(this.file.toFile());
			try {
				ZipEntry entry = outer.getEntry(this.nestedEntry);
				if (entry == null) {
					throw new IOException(this.file + " has no entry " + this.nestedEntry);
				}
				return new FilterInputStream(outer.getInputStream(entry)) {

					@Override
					public void close() throws IOException {
						try {
							super.close();
						}
						finally {
							outer.close();
						}
					}

				};
			}
			catch (IOException | RuntimeException ex) {
				outer.close();
				throw ex;
			}
		}

		/** A path for a class path: itself, or a copy in {@code directory}. */
		Path materialize(Path directory) throws IOException {
			if (this.nestedEntry == null) {
				return this.file;
			}
			Path target = directory.resolve(fileName());
			try (InputStream in = open()) {
				Files.copy(in, target);
			}
			return target;
		}

	}

}
