package io.samboot.nativeaccess;

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
	}

}
