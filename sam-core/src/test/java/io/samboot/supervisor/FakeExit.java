package io.samboot.supervisor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/** Stands in for {@code System::exit}: records the status instead of ending the JVM. */
final class FakeExit implements IntConsumer {

	final List<Integer> statuses = new ArrayList<>();

	@Override
	public void accept(int status) {
		this.statuses.add(status);
	}

}
