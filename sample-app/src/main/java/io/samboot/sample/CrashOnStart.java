package io.samboot.sample;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Makes this instance halt right after it started, when
 * {@code POST /chaos/crash-on-start} asked for it.
 */
@Component
public class CrashOnStart {

	private final SampleStore store;

	public CrashOnStart(SampleStore store) {
		this.store = store;
	}

	/**
	 * Runs after SAM's own ready listener has started health checking, so the crash
	 * counts as a failure.
	 */
	@EventListener(ApplicationReadyEvent.class)
	public void crashIfAsked() {
		SampleStore.State state = this.store.read();
		if (state.crashesOnStart() > 0) {
			this.store.write(state.withCrashesOnStart(state.crashesOnStart() - 1));
			System.err.println("chaos: crashing right after start (" + (state.crashesOnStart() - 1) + " more to come)");
			Runtime.getRuntime().halt(4);
		}
	}

}
