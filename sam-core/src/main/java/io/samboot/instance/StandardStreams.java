package io.samboot.instance;

import io.samboot.nativeaccess.NativeAccess;

/**
 * Standard output and error kept across something that points them elsewhere: closing the
 * JDK's inherited channel sets descriptors 0, 1 and 2 to {@code /dev/null}
 * ({@link InheritedListeningSocket#stopAccepting()}). A copy of each is made first and
 * put back after; a stream that cannot be copied (no descriptor free, the stream already
 * closed) is left as it will be.
 */
final class StandardStreams {

	private static final int OUTPUT = 1;

	private static final int ERROR = 2;

	private final NativeAccess os;

	/** The copy of standard output, or {@code -1}. */
	private final int output;

	/** The copy of standard error, or {@code -1}. */
	private final int error;

	private StandardStreams(NativeAccess os, int output, int error) {
		this.os = os;
		this.output = output;
		this.error = error;
	}

	/** Copies both streams now, each on its own. */
	static StandardStreams keep(NativeAccess os) {
		return new StandardStreams(os, copy(os, OUTPUT), copy(os, ERROR));
	}

	/** Puts back what was copied, and closes the copies. */
	void restore() {
		restore(this.output, OUTPUT);
		restore(this.error, ERROR);
	}

	private static int copy(NativeAccess os, int descriptor) {
		try {
			return os.duplicateDescriptor(descriptor);
		}
		catch (RuntimeException ex) {
			return -1;
		}
	}

	private void restore(int copy, int target) {
		if (copy < 0) {
			return;
		}
		try {
			this.os.moveDescriptor(copy, target);
		}
		catch (RuntimeException ex) {
			// A dup2 onto a descriptor this process owns does not fail; if it did, the
			// stream stays where it was pointed.
			this.os.closeDescriptor(copy);
		}
	}

}
