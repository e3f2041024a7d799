package io.samboot.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A JDK to run fixture JVMs with: the one running the tests, and a JDK 25 when one is
 * installed: the one the system property {@code sam.test.jdk25} names, or else one found
 * beside the JDK running the tests (a sibling directory whose {@code release} file says
 * {@code JAVA_VERSION="25...}).
 */
public record Jdk(String name, Path home, int feature) {

	public String java() {
		return this.home.resolve("bin").resolve("java").toString();
	}

	/**
	 * The options every fixture JVM of this JDK gets so that it prints no warning of its
	 * own.
	 */
	public List<String> quietOptions() {
		return (this.feature >= 22) ? List.of("--enable-native-access=ALL-UNNAMED") : List.of();
	}

	public static Jdk current() {
		return new Jdk("jdk" + Runtime.version().feature(), Path.of(System.getProperty("java.home")),
				Runtime.version().feature());
	}

	/** This JDK and, when installed, the newest one. */
	public static List<Jdk> available() {
		List<Jdk> jdks = new ArrayList<>();
		jdks.add(current());
		if (current().feature() != 25) {
			newest().ifPresent(home -> jdks.add(new Jdk("jdk25", home, 25)));
		}
		return jdks;
	}

	/**
	 * The home of a JDK 25: {@code -Dsam.test.jdk25}, or one installed beside this JDK.
	 */
	public static Optional<Path> newest() {
		String named = System.getProperty("sam.test.jdk25", "");
		if (!named.isBlank()) {
			return Optional.of(Path.of(named)).filter(home -> Files.isExecutable(home.resolve("bin").resolve("java")));
		}
		Path parent = Path.of(System.getProperty("java.home")).toAbsolutePath().getParent();
		if (parent == null || !Files.isDirectory(parent)) {
			return Optional.empty();
		}
		try (Stream<Path> siblings = Files.list(parent)) {
			return siblings.filter(home -> Files.isExecutable(home.resolve("bin").resolve("java")))
				.filter(Jdk::isJdk25)
				.sorted()
				.findFirst();
		}
		catch (IOException ex) {
			return Optional.empty();
		}
	}

	private static boolean isJdk25(Path home) {
		try {
			return Files.readAllLines(home.resolve("release"))
				.stream()
				.anyMatch(line -> line.startsWith("JAVA_VERSION=\"25"));
		}
		catch (IOException ex) {
			return false;
		}
	}

	@Override
	public String toString() {
		return this.name;
	}
}
