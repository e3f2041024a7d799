package io.samboot.supervisor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Where the control socket's directory goes: only where no other user can swap it for their own. */
class ControlServerDirectoryTests {

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    private final SupervisorLog log = new SupervisorLog(new PrintStream(this.output, true, StandardCharsets.UTF_8), 1);

    @TempDir
    Path temp;

    @Test
    void theDirectoryIsPrivateAndOwnedByThisUser() throws IOException {
        Path base = directory("base", "rwx------");

        Path created = ControlServer.createPrivateDirectory(List.of(base), this.log);

        assertThat(created.getParent()).isEqualTo(base);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(created))).isEqualTo("rwx------");
        assertThat(Files.getOwner(created)).isEqualTo(Files.getOwner(this.temp));
    }

    @Test
    void aBaseOthersMayWriteToWithoutTheStickyBitIsSkipped() throws IOException {
        Path open = directory("open", "rwxrwxrwx");
        Path safe = directory("safe", "rwx------");

        Path created = ControlServer.createPrivateDirectory(List.of(open, safe), this.log);

        assertThat(created.getParent()).isEqualTo(safe);
        assertThat(open).isEmptyDirectory();
        assertThat(log()).contains("not using " + open + " for the control socket: other users may write to it"
                + " (mode 0777) and it is not sticky");
    }

    @Test
    void aStickyBaseOthersMayWriteToIsUsedAsTmpIs() throws IOException {
        Path sticky = directory("sticky", "rwxrwxrwx");
        Files.setAttribute(sticky, "unix:mode", 01777);

        Path created = ControlServer.createPrivateDirectory(List.of(sticky), this.log);

        assertThat(created.getParent()).isEqualTo(sticky);
        assertThat(log()).isEmpty();
    }

    @Test
    void aBaseOwnedByAnotherUserIsSkipped() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "only root can give a directory away");
        UserPrincipal nobody;
        try {
            nobody = this.temp.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        }
        catch (IOException ex) {
            assumeTrue(false, "no user 'nobody'");
            return;
        }
        Path theirs = directory("theirs", "rwxr-xr-x");
        Files.setOwner(theirs, nobody);
        Path safe = directory("safe", "rwx------");

        Path created = ControlServer.createPrivateDirectory(List.of(theirs, safe), this.log);

        assertThat(created.getParent()).isEqualTo(safe);
        assertThat(theirs).isEmptyDirectory();
        assertThat(log()).contains("not using " + theirs + " for the control socket: it belongs to nobody");
    }

    @Test
    void withoutASafeBaseTheServerDoesNotOpen() throws IOException {
        Path open = directory("open", "rwxrwxrwx");

        assertThatIOException().isThrownBy(() -> ControlServer.createPrivateDirectory(List.of(open), this.log))
            .withMessageContaining("no safe directory");
    }

    @Test
    void aBaseThatIsNotADirectoryIsPassedOver() throws IOException {
        Path safe = directory("safe", "rwx------");

        Path created = ControlServer.createPrivateDirectory(List.of(this.temp.resolve("missing"), safe), this.log);

        assertThat(created.getParent()).isEqualTo(safe);
    }

    private Path directory(String name, String permissions) throws IOException {
        Path directory = Files.createDirectory(this.temp.resolve(name));
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString(permissions));
        return directory;
    }

    private String log() {
        return this.output.toString(StandardCharsets.UTF_8);
    }
}
