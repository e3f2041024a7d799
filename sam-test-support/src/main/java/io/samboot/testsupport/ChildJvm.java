package io.samboot.testsupport;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Command lines for fixture JVMs: the same {@code java} as this JVM, with the given class
 * path, and {@code --enable-native-access=ALL-UNNAMED} where the JDK (22 or later) would
 * otherwise make JNA print a restricted-method warning.
 */
public final class ChildJvm {

	private ChildJvm() {
	}

	public static List<String> command(String classPath, Class<?> mainClass, List<String> jvmOptions, String... args) {
		List<String> command = new ArrayList<>();
		command.add(javaBinary());
		if (Runtime.version().feature() >= 22) {
			command.add("--enable-native-access=ALL-UNNAMED");
		}
		command.add("-XX:TieredStopAtLevel=1");
		command.addAll(jvmOptions);
		command.add("-cp");
		command.add(classPath);
		command.add(mainClass.getName());
		command.addAll(Arrays.asList(args));
		return command;
	}

	public static List<String> command(Class<?> mainClass, String... args) {
		return command(classPath(), mainClass, List.of(), args);
	}

	public static String javaBinary() {
		return ProcessHandle.current()
			.info()
			.command()
			.orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
	}

	public static String classPath() {
		return System.getProperty("java.class.path");
	}

	/** This JVM's class path without the JNA jars, to play a user who did not add JNA. */
	public static String classPathWithoutJna() {
		return Arrays.stream(classPath().split(File.pathSeparator))
			.filter((entry) -> !Path.of(entry).getFileName().toString().startsWith("jna"))
			.collect(Collectors.joining(File.pathSeparator));
	}

}
