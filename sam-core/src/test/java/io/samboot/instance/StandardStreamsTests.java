package io.samboot.instance;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.samboot.nativeaccess.NativeAccess;
import io.samboot.nativeaccess.NativeAccessException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link StandardStreams} against a native access that records its calls and fails where
 * told: each stream on its own, and no copy left open whatever fails.
 */
class StandardStreamsTests {

	private final List<String> calls = new ArrayList<>();

	@Test
	void bothStreamsAreCopiedAndPutBack() {
		NativeAccess os = recording(Set.of());
		StandardStreams.keep(os).restore();
		assertThat(this.calls).containsExactly("duplicate 1 -> 11", "duplicate 2 -> 12", "move 11 -> 1",
				"move 12 -> 2");
	}

	@Test
	void aStreamThatCannotBeCopiedIsLeftAndTheOtherIsStillKept() {
		NativeAccess os = recording(Set.of("duplicate 1"));
		StandardStreams.keep(os).restore();
		assertThat(this.calls).containsExactly("duplicate 1 failed", "duplicate 2 -> 12", "move 12 -> 2");
	}

	@Test
	void aCopyThatCannotBePutBackIsClosed() {
		NativeAccess os = recording(Set.of("move 11"));
		StandardStreams.keep(os).restore();
		assertThat(this.calls).containsExactly("duplicate 1 -> 11", "duplicate 2 -> 12", "move 11 failed", "close 11",
				"move 12 -> 2");
	}

	/** Copies of descriptor N are 10 + N; the calls named in {@code failing} throw. */
	private NativeAccess recording(Set<String> failing) {
		return (NativeAccess) Proxy.newProxyInstance(NativeAccess.class.getClassLoader(),
				new Class<?>[] { NativeAccess.class }, (proxy, method, arguments) -> {
					switch (method.getName()) {
						case "duplicateDescriptor" -> {
							int descriptor = (int) arguments[0];
							return answer(failing, "duplicate " + descriptor, " -> " + (10 + descriptor),
									10 + descriptor);
						}
						case "moveDescriptor" -> {
							return answer(failing, "move " + arguments[0], " -> " + arguments[1], null);
						}
						case "closeDescriptor" -> {
							this.calls.add("close " + arguments[0]);
							return null;
						}
						default -> throw new UnsupportedOperationException(method.getName());
					}
				});
	}

	private Object answer(Set<String> failing, String call, String result, Object value) {
		if (failing.contains(call)) {
			this.calls.add(call + " failed");
			throw new NativeAccessException(call, "told to fail", "none");
		}
		this.calls.add(call + result);
		return value;
	}

}
