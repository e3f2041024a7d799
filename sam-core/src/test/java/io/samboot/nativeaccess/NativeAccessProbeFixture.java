package io.samboot.nativeaccess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Prints which {@link NativeAccess} a fresh JVM gets, for tests that vary the class path
 * or {@code sam.native}.
 */
public final class NativeAccessProbeFixture {

	private NativeAccessProbeFixture() {
	}

	public static void main(String[] args) {
		NativeAccess access = NativeAccess.get();
		System.out.println("native=" + access.isNative() + " pid=" + access.getpid() + " ppid=" + access.getppid());
		System.out.println("dispatch=" + mappedDispatchLibrary());
	}

	/**
	 * The file this JVM mapped JNA's own native library from: a copy in the cache, or the
	 * temporary file JNA unpacked it to (deleted by then), or {@code none}.
	 */
	private static String mappedDispatchLibrary() {
		try {
			return Files.readAllLines(Path.of("/proc/self/maps"))
				.stream()
				.map((line) -> line.substring(line.indexOf('/') < 0 ? line.length() : line.indexOf('/')))
				.filter((file) -> file.contains("jnidispatch") || file.contains("/jna"))
				.filter((file) -> !file.endsWith(".jar"))
				.findFirst()
				.orElse("none");
		}
		catch (IOException ex) {
			return "unknown: " + ex;
		}
	}

}
