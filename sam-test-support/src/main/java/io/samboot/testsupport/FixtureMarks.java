package io.samboot.testsupport;

/**
 * What fixture applications (real JVMs started by the process tests) print for the tests
 * to read: {@code MARK ...} lines the tests wait for, and {@code FAIL ...} (then exit
 * status 99) when something the fixture checks itself is wrong.
 */
public final class FixtureMarks {

	private FixtureMarks() {
	}

	public static void check(boolean condition, String what) {
		if (!condition) {
			fail(what);
		}
	}

	public static void mark(String text) {
		System.out.println("MARK " + text);
		System.out.flush();
	}

	public static void fail(String text) {
		System.out.println("FAIL " + text);
		System.out.flush();
		Runtime.getRuntime().halt(99);
	}

}
