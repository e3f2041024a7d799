package io.samboot.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.jdi.Bootstrap;
import com.sun.jdi.LongValue;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.VMDisconnectedException;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.connect.AttachingConnector;
import com.sun.jdi.connect.Connector;
import com.sun.jdi.connect.ListeningConnector;
import io.samboot.PosixSignal;
import io.samboot.nativeaccess.NativeAccess;
import io.samboot.testsupport.Jdk;
import io.samboot.testsupport.SupervisedApp;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Debugging a supervised application as an IDE does, with a real debugger: the JDK's own
 * JDI (what IntelliJ IDEA and Eclipse use) attached to the instance (attach mode,
 * {@code server=y}) or accepting the instance's connection (listen mode,
 * {@code server=n}), again after a restart; a breakpoint-long suspension does not get the
 * instance killed.
 */
@Tag("process")
class DebuggerProcessTests {

	private static final Duration STEP = Duration.ofSeconds(30);

	/** Well beyond time-interval + kill-delay (500 ms each in the fixture). */
	private static final Duration HELD = Duration.ofSeconds(3);

	private static final NativeAccess OS = NativeAccess.get();

	private static final String LIMITS_WAIVED = "runs a JDWP agent";

	@Test
	void attachModeTheInstanceListensAtTheAddressGivenAndSurvivesBeingHeld() throws Exception {
		int port = freePort();
		String agent = "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:" + port;
		try (SupervisedApp app = SupervisedApp.start(Jdk.current(), SamFixture.class, List.of(agent), "heartbeat",
				"500")) {
			long first = app.instancePid(1, STEP);
			app.awaitLine("MARK iid=1 pid=" + first + " started", STEP);
			VirtualMachine debugger = attach(port);
			try {
				assertThat(pidOf(debugger)).as("the debugger reached instance 1").isEqualTo(first);
				debugger.suspend();
				await("instance 1 held by the debugger, not killed").during(HELD)
					.atMost(HELD.plus(STEP))
					.until(() -> SupervisedApp.alive(first) && !supervisorActedOn(app));
				debugger.resume();
			}
			finally {
				debugger.dispose();
			}
			assertThat(app.output().count((line) -> line.contains(LIMITS_WAIVED))).as(app.toString()).isOne();
			assertThat(app.find((line) -> line.contains("listens for the debugger at 127.0.0.1:" + port))).isPresent();

			OS.kill(first, PosixSignal.KILL);
			long second = app.instancePid(2, STEP);
			app.awaitLine("MARK iid=2 pid=" + second + " started", STEP);
			VirtualMachine again = attach(port);
			try {
				assertThat(pidOf(again)).as("the debugger reached instance 2 at the same address").isEqualTo(second);
			}
			finally {
				again.dispose();
			}
			assertThat(app.output().count((line) -> line.contains(LIMITS_WAIVED))).as(app.toString()).isEqualTo(2);
			assertThat(app.find((line) -> line.contains("stays with the supervisor") || line.contains("dropped")))
				.isEmpty();
		}
	}

	@Test
	void withTheLimitsKeptAHeldInstanceIsKilledAsAHungOne() throws Exception {
		int port = freePort();
		String agent = "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:" + port;
		try (SupervisedApp app = SupervisedApp.start(Jdk.current(), SamFixture.class,
				List.of(agent, "-Dsam.debug.enforce-limits=true"), "heartbeat", "500")) {
			long first = app.instancePid(1, STEP);
			app.awaitLine("MARK iid=1 pid=" + first + " started", STEP);
			VirtualMachine debugger = attach(port);
			try {
				debugger.suspend();
				app.awaitLine("killed by SIGKILL, cause health-check-timeout", STEP);
			}
			finally {
				try {
					debugger.dispose();
				}
				catch (VMDisconnectedException ex) {
					// killed, as expected
				}
			}
			assertThat(app.find((line) -> line.contains(LIMITS_WAIVED))).isEmpty();
			assertThat(app.find((line) -> line.contains("health-check limits stay enforced"))).isPresent();
		}
	}

	@Test
	void listenModeEveryInstanceConnectsToTheListeningDebugger() throws Exception {
		ListeningConnector connector = connector(ListeningConnector.class, "com.sun.jdi.SocketListen");
		Map<String, Connector.Argument> arguments = connector.defaultArguments();
		arguments.get("localAddress").setValue("127.0.0.1");
		arguments.get("port").setValue("0");
		arguments.get("timeout").setValue(String.valueOf(STEP.toMillis()));
		String address = connector.startListening(arguments);
		String port = address.substring(address.lastIndexOf(':') + 1);
		arguments.get("port").setValue(port);
		try (SupervisedApp app = SupervisedApp.start(Jdk.current(), SamFixture.class,
				List.of("-agentlib:jdwp=transport=dt_socket,server=n,suspend=n,address=127.0.0.1:" + port), "heartbeat",
				"500")) {
			// The JVM the user started connects first, as it starts; its connection ends
			// when it re-executes itself as the lean supervisor, which runs no agent.
			VirtualMachine instance1 = acceptInstance(connector, arguments, app, 1);
			instance1.suspend();
			long first = app.instancePid(1, STEP);
			await("instance 1 held by the debugger, not killed").during(HELD)
				.atMost(HELD.plus(STEP))
				.until(() -> SupervisedApp.alive(first) && !supervisorActedOn(app));
			instance1.resume();
			app.awaitLine("MARK iid=1 pid=" + first + " started", STEP);
			OS.kill(first, PosixSignal.KILL);
			try {
				instance1.dispose();
			}
			catch (VMDisconnectedException ex) {
				// it is gone
			}
			VirtualMachine instance2 = acceptInstance(connector, arguments, app, 2);
			instance2.dispose();
			assertThat(app.find((line) -> line.contains("connects to the debugger listening at 127.0.0.1:" + port)))
				.isPresent();
			assertThat(app.find((line) -> line.contains("dropped"))).isEmpty();
		}
		finally {
			connector.stopListening(arguments);
		}
	}

	@Test
	void listenModeAnInstanceThatFindsNoDebuggerIsExplained() throws Exception {
		int exitStatus;
		AtomicReference<SupervisedApp> started = new AtomicReference<>();
		try (ServerSocket ide = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			SupervisedApp app = SupervisedApp.start(Jdk.current(), SamFixture.class, List
				.of("-agentlib:jdwp=transport=dt_socket,server=n,suspend=n,address=127.0.0.1:" + ide.getLocalPort()),
					"heartbeat", "500");
			started.set(app);
			// The JVM the user started connects; then the "IDE" stops listening.
			ide.setSoTimeout((int) STEP.toMillis());
			try (Socket connection = ide.accept()) {
				handshake(connection);
			}
		}
		try (SupervisedApp app = started.get()) {
			exitStatus = app.awaitExit(STEP);
			assertThat(app.find((line) -> line.contains("before it registered") && line.contains("transport error 202")
					&& line.contains("keep the debugger listening")))
				.as(app.toString())
				.isPresent();
		}
		assertThat(exitStatus).isEqualTo(2);
	}

	/** Whether the supervisor warned, signalled or replaced an instance. */
	private static boolean supervisorActedOn(SupervisedApp app) {
		return app
			.find((line) -> line.contains("health-check-timeout") || line.contains("sending SIG")
					|| line.contains("launched instance 2"))
			.isPresent();
	}

	private static VirtualMachine attach(int port) throws Exception {
		AttachingConnector connector = connector(AttachingConnector.class, "com.sun.jdi.SocketAttach");
		Map<String, Connector.Argument> arguments = connector.defaultArguments();
		arguments.get("hostname").setValue("127.0.0.1");
		arguments.get("port").setValue(String.valueOf(port));
		arguments.get("timeout").setValue(String.valueOf(STEP.toMillis()));
		return connector.attach(arguments);
	}

	/**
	 * Accepts connections until an instance makes one, leaving out the JVM the user
	 * started (which connects as it starts, and is gone when it re-executes itself as the
	 * supervisor, keeping its PID), and checks that it is instance {@code id}. Each
	 * instance waits in its start for the debugger to accept it.
	 */
	private static VirtualMachine acceptInstance(ListeningConnector connector,
			Map<String, Connector.Argument> arguments, SupervisedApp app, int id) throws Exception {
		for (int attempt = 0; attempt < 3; attempt++) {
			VirtualMachine vm = connector.accept(arguments);
			try {
				long pid = pidOf(vm);
				if (pid != app.supervisorPid()) {
					assertThat(pid).as("the debugger reached instance %d", id).isEqualTo(app.instancePid(id, STEP));
					return vm;
				}
			}
			catch (VMDisconnectedException ex) {
				// the JVM the user started, gone with its execve
			}
			vm.dispose();
		}
		throw new AssertionError("instance " + id + " never connected to the debugger:\n" + app);
	}

	/**
	 * The PID of the debugged JVM, read from the fixture's own field once its class is
	 * initialized (loaded, it still reads 0).
	 */
	private static long pidOf(VirtualMachine vm) {
		AtomicLong pid = new AtomicLong();
		await("the fixture initialized in the debugged JVM").atMost(STEP).until(() -> {
			List<ReferenceType> types = vm.classesByName(SamFixture.class.getName());
			if (!types.isEmpty()) {
				ReferenceType type = types.get(0);
				pid.set(((LongValue) type.getValue(type.fieldByName("PID"))).value());
			}
			return pid.get() != 0;
		});
		return pid.get();
	}

	/** The debugger's half of the JDWP handshake. */
	private static void handshake(Socket connection) throws IOException {
		byte[] hello = "JDWP-Handshake".getBytes(StandardCharsets.US_ASCII);
		connection.setSoTimeout((int) STEP.toMillis());
		OutputStream out = connection.getOutputStream();
		out.write(hello);
		out.flush();
		InputStream in = connection.getInputStream();
		assertThat(in.readNBytes(hello.length)).isEqualTo(hello);
	}

	private static <C extends Connector> C connector(Class<C> type, String name) {
		return Bootstrap.virtualMachineManager()
			.allConnectors()
			.stream()
			.filter((connector) -> connector.name().equals(name))
			.map(type::cast)
			.findFirst()
			.orElseThrow();
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
