package io.samboot.supervisor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The entry point of the lean supervisor JVM that {@link SupervisorReexec} turns the JVM the user
 * started into (same PID). Not for starting by hand.
 *
 * <p>Arguments: the handover file in the supervisor's private directory, {@code --}, then the
 * instance's command line.
 */
public final class SupervisorMain {

    private SupervisorMain() {
    }

    public static void main(String[] args) {
        SupervisorLog log = SupervisorLog.get();
        if (args.length < 3 || !"--".equals(args[1])) {
            log.error("the lean supervisor JVM was started with " + Arrays.toString(args) + "; it expects <handover"
                    + " file> -- <instance command line> and is started only by SAM itself");
            System.exit(2);
            return;
        }
        Path handoverFile = Path.of(args[0]);
        SupervisorHandover handover;
        try {
            handover = SupervisorHandover.readAndDelete(handoverFile);
        }
        catch (IOException ex) {
            log.error("cannot take over as the lean supervisor: " + ex.getMessage()
                    + "; start with -D" + SupervisorReexec.ENABLED_PROPERTY + "=false to supervise from the JVM you start");
            ControlServer.removeDirectory(handoverFile.getParent());
            System.exit(1);
            return;
        }
        List<String> instanceCommand = List.of(args).subList(2, args.length);
        Supervisor.supervise(instanceCommand, handover.instanceEnvironment(), handover.settings(), handover.data(),
                handoverFile.getParent(), " (lean supervisor JVM)");
    }
}
