import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.samboot.RecoveryPolicy;
import io.samboot.Sam;
import io.samboot.SamException;

/**
 * A program written outside the project, as a user of the plain-Java API writes one: compiled and run
 * with sam-core and JNA alone on its class path. corosync's testsam.c test1 in short: an instance that
 * stops sending heartbeats is replaced, the data store survives, and a second initialize is refused.
 */
public class TestSam {

    public static void main(String[] args) throws Exception {
        Sam.initialize(Duration.ofMillis(500), RecoveryPolicy.RESTART);
        int iid = Sam.register();
        System.out.println("TESTSAM iid=" + iid + " pid=" + ProcessHandle.current().pid());
        if (iid == 1) {
            Sam.dataStore("kept by instance 1".getBytes(StandardCharsets.UTF_8));
            Sam.start();
            Sam.hcSend();
            System.out.println("TESTSAM iid=1 stopped sending");
            Thread.sleep(30_000);
            System.out.println("TESTSAM FAIL instance 1 survived without heartbeats");
            System.exit(99);
        }
        System.out.println("TESTSAM restored=" + new String(Sam.dataRestore(), StandardCharsets.UTF_8));
        Sam.start();
        Sam.hcSend();
        Sam.stop();
        try {
            Sam.initialize(Duration.ofMillis(500), RecoveryPolicy.RESTART);
            System.out.println("TESTSAM FAIL a second initialize was accepted");
        }
        catch (SamException ex) {
            System.out.println("TESTSAM second initialize: " + ex.error());
        }
        Sam.close();
        System.exit(0);
    }
}
