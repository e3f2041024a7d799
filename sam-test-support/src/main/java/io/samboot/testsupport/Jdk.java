package io.samboot.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A JDK to run fixture JVMs with: the one running the tests, and the newest one installed beside it
 * (system property {@code sam.test.jdk25}, set by the build), when present.
 */
public record Jdk(String name, Path home, int feature) {

    public String java() {
        return this.home.resolve("bin").resolve("java").toString();
    }

    /** The options every fixture JVM of this JDK gets so that it prints no warning of its own. */
    public List<String> quietOptions() {
        return (this.feature >= 22) ? List.of("--enable-native-access=ALL-UNNAMED") : List.of();
    }

    public static Jdk current() {
        return new Jdk("jdk" + Runtime.version().feature(), Path.of(System.getProperty("java.home")),
                Runtime.version().feature());
    }

    /** This JDK and, when installed, the newest one. */
    public static List<Jdk> available() {
        List<Jdk> jdks = new ArrayList<>();
        jdks.add(current());
        String newest = System.getProperty("sam.test.jdk25", "/usr/lib/jvm/temurin-25-jdk-amd64");
        if (Files.isExecutable(Path.of(newest, "bin", "java")) && current().feature() != 25) {
            jdks.add(new Jdk("jdk25", Path.of(newest), 25));
        }
        return jdks;
    }

    @Override
    public String toString() {
        return this.name;
    }
}
